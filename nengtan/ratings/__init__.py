"""Enterprise ratings (issue 12), each an open, versioned method whose parameters are data
(``nengtan/ratings/data/*.json``), pure: figures in, grades with their inputs and reasons out.

* :mod:`.methods` — loading a method version and its parameters;
* :mod:`.carbon_efficiency` — the 碳效码-style carbon-efficiency grade.
"""
