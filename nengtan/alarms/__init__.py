"""Live alarms (issue 15, item 7), pure: a meter's thresholds checked against its readings as they arrive
(:mod:`.rules`). The engine (nengtan.engine.alarms) keeps the rules and the alarms and tells the subscribers."""
