"""nengtan (能碳): energy and carbon management for Chinese industrial parks."""

__version__ = "0.1.0"
