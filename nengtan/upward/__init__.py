"""Reporting upward (issue 14, item 5), pure: the documented JSON formats of an enterprise's data for the province —
the key-energy-unit online monitoring items (format) — and the delivery rules of store and forward (delivery).
The engine (nengtan.engine.upward) builds the payloads from the stores, queues them in the outbox and pushes them;
nengtan.upward.receiver is the reference receiver the tests play the province with."""
