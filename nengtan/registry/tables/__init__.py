"""The registry's tables, grouped by domain (one module each).

- ``park``: the park, sectors, enterprises, meters, economic data;
- ``records``: activity rows, statement lines, import batches, quarantine;
- ``monitoring``: gateways and their meters, data-quality results;
- ``factors``: the park's own factor values;
- ``verification``: signed-off enterprise-years, verifier comments, imported verification records;
- ``access``: users, their enterprises, the audit log;
- ``publishing``: uploads, public publications, enterprises' published ESG items;
- ``targets``: adopted targets, budget allocations, project assessments;
- ``footprints``: product footprint records, certification applications and certificates, supplier requests.
- ``greenpower``: GEC holdings, green-power contracts and claims, the order book, the green-power ledger;
- ``assets``: compliance years, allowance movements and CCER lots of the national carbon market, energy-use rights;
- ``ratings``: the park's rating-method versions, issued rating runs, carbon credit points;
- ``statistics``: land, tax, sales and the park evaluation's items, per year, for the park or an enterprise;
- ``upward``: the outbox of upward reports (store and forward);
- ``energy``: energy-use budgets (用能预算) and energy reviews (节能审查);
- ``notify``: notification subscriptions and deliveries (e-mail, group-robot webhooks);
- ``operations``: time-of-use tariff tables, storage installations, live-alarm rules and alarms, virtual meters.

:mod:`nengtan.registry.schema` imports them all, so that ``Base.metadata`` knows every table.
"""

MODULES = ("park", "records", "monitoring", "factors", "verification", "access", "publishing", "targets", "footprints",
           "greenpower", "assets", "ratings", "statistics", "upward", "energy",
           "notify", "operations")
