"""Statistics the platform does not measure: their items, canonical units and conversions, pure
(nengtan.statistics.items); held per year for the park or an enterprise by nengtan.engine.statistics."""
