"""The registry's tables, grouped by domain (one module each).

- ``park``: the park, sectors, enterprises, meters, economic data;
- ``records``: activity rows, statement lines, import batches, quarantine;
- ``monitoring``: gateways and their meters, data-quality results;
- ``factors``: the park's own factor values;
- ``verification``: signed-off enterprise-years, verifier comments;
- ``access``: users, their enterprises, the audit log;
- ``publishing``: uploads and public publications;
- ``targets``: adopted targets, budget allocations, project assessments;
- ``footprints``: product footprint records, certification applications and certificates, supplier requests.
- ``greenpower``: GEC holdings, green-power contracts and claims, the order book, the green-power ledger;
- ``assets``: compliance years, allowance movements and CCER lots of the national carbon market.

:mod:`nengtan.registry.schema` imports them all, so that ``Base.metadata`` knows every table.
"""

MODULES = ("park", "records", "monitoring", "factors", "verification", "access", "publishing", "targets", "footprints",
           "greenpower", "assets")
