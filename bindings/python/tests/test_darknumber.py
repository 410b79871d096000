"""The Python front end against the engine's own JSON and the published figures the Swift tests use."""
import json
import subprocess

import pandas as pd
import pytest

import darknumber as dn

# UKdat_5 as MultipleSystemsEstimation lays it out (lists LA, NG, PFNCA, GO, GP; one row per
# observed history with its count), written by hand.
UK = [
    (1, 1, 1, 1, 0, 1), (1, 1, 1, 0, 0, 1), (1, 1, 0, 1, 0, 1), (1, 1, 0, 0, 0, 15),
    (1, 0, 1, 0, 0, 19), (1, 0, 0, 1, 0, 3), (1, 0, 0, 0, 0, 54), (0, 1, 1, 1, 0, 4),
    (0, 1, 1, 0, 0, 62), (0, 1, 0, 1, 0, 19), (0, 1, 0, 0, 1, 1), (0, 1, 0, 0, 0, 463),
    (0, 0, 1, 1, 0, 76), (0, 0, 1, 0, 1, 11), (0, 0, 1, 0, 0, 995), (0, 0, 0, 1, 1, 8),
    (0, 0, 0, 1, 0, 695), (0, 0, 0, 0, 1, 316),
]


def uk_frame():
    return pd.DataFrame(UK, columns=["LA", "NG", "PFNCA", "GO", "GP", "count"])


def cli(*arguments):
    completed = subprocess.run([dn.find_binary(), *arguments, "--format", "json"], capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


def test_uk_2013_stepwise_is_11313():
    fit = dn.select("example:UKdat_5")
    assert round(fit.total) == 11_313
    assert fit.model == cli("select", "--example", "UKdat_5")["selected"]["terms"]
    profile = fit.intervals[fit.intervals.method == "profile"].iloc[0]
    assert round(profile.lower) == 9_889 and round(profile.upper) == 13_063


def test_a_data_frame_gives_the_bundled_tables_estimate():
    frame = uk_frame()
    assert frame["count"].sum() == 2_744
    ours = dn.select(frame)
    bundled = cli("select", "--example", "UKdat_5")["selected"]["total"]
    assert abs(ours.total - bundled) <= 1e-9 * bundled


def test_western_and_a_bootstrap_with_its_intervals():
    fit = dn.select("example:Western", bootstrap=50, seed=1)
    assert round(fit.total) == 2_483
    assert {"bca", "percentile"} <= set(fit.intervals.method)
    document = cli("select", "--example", "Western", "--bootstrap", "50", "--seed", "1", "--no-progress")
    assert fit.document["intervals"] == document["intervals"]


def test_kosovo_bayesian_and_tables():
    posterior = dn.bayes("example:kosovo_aggregate")
    assert posterior.total == cli("bayes", "--example", "kosovo_aggregate")["posterior"]["median"]
    assert not posterior.tables["models"].empty
    standard = dn.models("example:kosovo_aggregate")
    assert len(standard.tables["models"]) == 12
    assert dn.check("example:kosovo_aggregate", model="[12,13]").document["code"] == 0


def test_formulas_and_specifications_give_one_model():
    frame = uk_frame()
    by_formula = dn.estimate(frame, model="~ LA*NG + PFNCA + GO + GP")
    by_specification = dn.estimate(frame, model="[12,3,4,5]")
    assert by_formula.total == by_specification.total


def test_a_malformed_data_frame_gets_the_engines_sentence():
    frame = uk_frame()
    frame.loc[0, "LA"] = 2
    with pytest.raises(dn.EngineError) as error:
        dn.estimate(frame)
    assert error.value.status == 65
    assert "LA" in error.value.message and "0 or 1" in error.value.message
    with pytest.raises(dn.EngineError) as error:
        dn.select("example:UKdat_5", method="lasso")
    assert error.value.status == 64
