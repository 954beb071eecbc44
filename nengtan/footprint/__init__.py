"""Product carbon footprints (ISO 14067:2018, GB/T 24067-2024): product models as tables, the matrix
engine that solves them (nengtan.footprint.system), GWP sets, the background database and Monte Carlo.

Pure domain code: nothing here opens the registry or the lake (the engine layer joins a model to an
enterprise's metered data).
"""
