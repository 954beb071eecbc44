"""The registry: parks, sectors, enterprises, meters, economic and activity data, batches, quarantine."""
