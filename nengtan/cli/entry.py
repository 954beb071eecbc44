"""`python -m nengtan.cli.entry ...` runs the CLI (the same as the `nengtan` script)."""

from nengtan.cli import main

if __name__ == "__main__":
    main()
