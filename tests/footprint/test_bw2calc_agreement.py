"""nengtan's solver against Brightway's bw2calc (the reference library, a test-only dependency) on the
same matrices: supply, inventory and score agree to 1e-9 relative, loops included."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp

from nengtan.footprint.system import ProductSystem, Solver

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # bw2calc suggests pypardiso on x86-64
    import bw2calc as bc
    import bw_processing as bwp


def random_system(n: int, flows: int, seed: int) -> tuple[sp.csc_matrix, sp.csc_matrix, np.ndarray]:
    """A productive technosphere with loops: outputs 1 … 2 on the diagonal, about 4 inputs per activity
    to any other activity (above and below the diagonal), small enough that the system is productive."""
    rng = np.random.default_rng(seed)
    rows, cols, vals = list(range(n)), list(range(n)), list(rng.uniform(1.0, 2.0, n))
    for j in range(n):
        for i in rng.choice(n, size=4, replace=False):
            if i != j:
                rows.append(int(i))
                cols.append(j)
                vals.append(-float(rng.uniform(0.0, 0.2)))
    a = sp.csc_matrix((vals, (rows, cols)), shape=(n, n))
    b = sp.csc_matrix(sp.random(flows, n, density=0.3, random_state=seed, data_rvs=lambda k: rng.uniform(0, 5, k)))
    c = rng.uniform(0.5, 300.0, flows)
    return a, b, c


def bw_lca(a: sp.csc_matrix, b: sp.csc_matrix, c: np.ndarray, demand_col: int) -> bc.LCA:
    dp = bwp.create_datapackage()
    ta, tb = a.tocoo(), b.tocoo()
    dp.add_persistent_vector(matrix="technosphere_matrix", name="t",
                             indices_array=np.array(list(zip(ta.row + 1, ta.col + 1, strict=True)),
                                                    dtype=bwp.INDICES_DTYPE),
                             data_array=ta.data, flip_array=np.zeros(len(ta.data), dtype=bool))
    dp.add_persistent_vector(matrix="biosphere_matrix", name="b",
                             indices_array=np.array(list(zip(tb.row + 100_001, tb.col + 1, strict=True)),
                                                    dtype=bwp.INDICES_DTYPE), data_array=tb.data)
    dp.add_persistent_vector(matrix="characterization_matrix", name="c",
                             indices_array=np.array([(k + 100_001, k + 100_001) for k in range(len(c))],
                                                    dtype=bwp.INDICES_DTYPE), data_array=c)
    lca = bc.LCA(demand={demand_col + 1: 1.0}, data_objs=[dp])
    lca.lci()
    lca.lcia()
    return lca


@pytest.mark.parametrize("n", [40, 600])
def test_supply_inventory_and_score_agree_with_bw2calc(n: int) -> None:
    a, b, c = random_system(n, 12, seed=n)
    names = tuple(f"p{j}" for j in range(n))
    system = ProductSystem(names, names, ("kg",) * n, tuple(f"f{k}" for k in range(12)), a, b)
    solver = Solver(system, c)
    for demand in (0, n // 2, n - 1):
        ours = solver.solve(f"p{demand}", 1.0)
        lca = bw_lca(a, b, c, demand)
        theirs = np.array([lca.supply_array[lca.dicts.activity[j + 1]] for j in range(n)])
        assert np.allclose(ours.supply, theirs, rtol=1e-9, atol=0)
        inv = np.asarray(lca.inventory.sum(axis=1)).ravel()
        inv_theirs = np.array([inv[lca.dicts.biosphere[k + 100_001]] for k in range(12)])
        assert np.allclose(ours.inventory, inv_theirs, rtol=1e-9, atol=1e-12)
        assert ours.total_kgco2e == pytest.approx(lca.score, rel=1e-9)


def test_many_products_in_one_call_equal_one_by_one() -> None:
    a, b, c = random_system(300, 8, seed=3)
    names = tuple(f"p{j}" for j in range(300))
    solver = Solver(ProductSystem(names, names, ("kg",) * 300, tuple(f"f{k}" for k in range(8)), a, b), c)
    cols = np.array([0, 17, 150, 299])
    many = solver.totals(cols, np.array([1.0, 2.0, 0.5, 3.0]))
    one = [solver.solve(f"p{j}", x).total_kgco2e for j, x in zip(cols, (1.0, 2.0, 0.5, 3.0), strict=True)]
    assert np.allclose(many, one, rtol=1e-12)
    assert np.allclose(many[:1], [bw_lca(a, b, c, 0).score], rtol=1e-9)
