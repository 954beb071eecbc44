"""Energy cost (issue 15, item 7), pure: time-of-use tariff tables (:mod:`.tariff`) and storage dispatch
(:mod:`.storage`). The engine (nengtan.engine.energycost) joins them with the lake's hourly electricity."""
