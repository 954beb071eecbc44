"""Green power (issue 11): hourly matching of consumption with carbon-free supply (:mod:`.cfe`) and power-flow
tracing of the park grid by proportional sharing (:mod:`.tracing`). Pure: numbers in, numbers out."""
