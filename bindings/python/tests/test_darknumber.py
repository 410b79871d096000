"""The Python front end against the engine's own JSON and the published figures the Swift tests use."""
import json
import pathlib
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
    # The message names the data frame, not the temporary file it travelled in.
    assert error.value.message.startswith("the data frame `data` (as CSV: line 1 is its header")
    assert "/tmp" not in error.value.message
    with pytest.raises(ValueError, match="a term is a list name"):
        dn.estimate(frame, model="~ LA**")
    with pytest.raises(dn.EngineError) as error:
        dn.select("example:UKdat_5", method="lasso")
    assert error.value.status == 64
    # An option the engine does not take: its sentence, without the usage lines.
    with pytest.raises(dn.EngineError) as error:
        dn.select("example:UKdat_5", bogus=1)
    assert error.value.status == 64 and 'got the file "1"' in error.value.message
    assert "Usage" not in error.value.message


def test_models_are_specifications_and_estimate_gives_every_interval():
    fit = dn.estimate("example:UKdat_5", model="~ LA*NG + PFNCA + GO + GP")
    assert fit.model == "[12,3,4,5]"
    assert set(fit.intervals.method) == {"wald", "lognormal", "profile", "logwald"}
    assert dn.estimate("example:UKdat_5", intervals=["profile"]).intervals.method.tolist() == ["profile"]


# Three lists and a year; list C did not operate in 2010 (written by hand).
SMALL = pd.DataFrame({
    "A": [1, 0, 1, 1, 0, 0, 1, 1, 0, 1],
    "B": [0, 1, 1, 0, 1, 0, 1, 0, 1, 1],
    "C": [0, 0, 0, 0, 0, 1, 0, 1, 1, 1],
    "year": [2010, 2010, 2010, 2011, 2011, 2011, 2011, 2011, 2011, 2011],
    "count": [60, 50, 15, 55, 45, 40, 12, 10, 9, 3],
})


def test_covariates_and_a_coverage_frame_reach_the_engine_as_the_clis_files_do(tmp_path):
    coverage = pd.DataFrame({"year": [2010], "A": [1], "B": [1], "C": [0]})
    fit = dn.estimate(SMALL, covariates=["year"], coverage=coverage)
    SMALL.to_csv(tmp_path / "data.csv", index=False)
    coverage.to_csv(tmp_path / "coverage.csv", index=False)
    document = cli("estimate", str(tmp_path / "data.csv"), "--covariates", "year",
                   "--coverage", str(tmp_path / "coverage.csv"))
    assert fit.total == pytest.approx(document["estimate"]["total"], rel=1e-12)
    # C's four observable histories in 2010 are structural zeros.
    assert fit.document["structuralZeros"] == 4
    assert list(fit.tables["breakdown"].total) == pytest.approx([b["total"] for b in document["breakdown"]], rel=1e-12)
    by_level = fit.breakdown("lognormal")
    assert list(by_level.level) == ["2010", "2011"]
    assert by_level.lower[0] == pytest.approx(next(i["lower"] for i in document["breakdown"][0]["intervals"]
                                                   if i["method"] == "lognormal"), rel=1e-12)
    naive = dn.estimate(SMALL, covariates="year")
    assert abs(naive.tables["breakdown"].total[0] - fit.tables["breakdown"].total[0]) > 10
    # Records on a list that did not operate are the engine's error.
    with pytest.raises(dn.EngineError) as error:
        dn.estimate(SMALL, covariates=["year"], coverage=pd.DataFrame({"year": [2011], "A": [1], "B": [1], "C": [0]}))
    assert error.value.status == 65


def test_sensitivity_validation_and_other_options_match_the_cli():
    sensitivity = dn.sensitivity("example:UKdat_5", bayes=False)
    assert round(sensitivity.total) == 11_313
    assert sensitivity.interval("profile") == pytest.approx((9_889.2, 13_063.1), abs=0.1)
    assert sensitivity.document["rows"] == cli("sensitivity", "--example", "UKdat_5", "--no-bayes")["rows"]
    validation = dn.validate("example:kosovo_aggregate", methods=["mt", "stepwise", "bic"])
    assert validation.document == cli("validate", "--example", "kosovo_aggregate", "--method", "mt", "stepwise",
                                      "bic", "--no-progress")
    top = dn.select("example:UKdat_5", method="bic", bootstrap=40, ntop=5, vary_ntop=[1, 5, "all"])
    assert top.document["ntop"] == cli("select", "--example", "UKdat_5", "--method", "bic", "--bootstrap", "40",
                                       "--ntop", "5", "--vary-ntop", "1,5,all", "--no-progress")["ntop"]


def test_csv_outputs_asked_for_with_true_come_back_as_tables(tmp_path):
    fit = dn.select("example:UKdat_5", bootstrap=30, replicates_csv=True)
    subprocess.run([dn.find_binary(), "select", "--example", "UKdat_5", "--bootstrap", "30", "--replicates-csv",
                    str(tmp_path / "r.csv"), "--no-progress"], check=True, capture_output=True)
    pd.testing.assert_frame_equal(fit.tables["replicates"], pd.read_csv(tmp_path / "r.csv"))
    assert len(fit.tables["replicates"]) == 30
    draws = dn.bayes("example:kosovo_aggregate", method="dga", draws_csv=True).tables["draws"]
    assert list(draws.columns) == ["N", "probability"] and abs(draws.probability.sum() - 1) < 1e-6
    assert dn.version().split(".")[0].isdigit()


def test_kosovos_dga_interval_covers_the_true_toll():
    # 10,401 killings (Ball et al. 2002; the Humanitarian Law Center's later count).
    lower, upper = dn.bayes("example:kosovo_aggregate", method="dga").interval("credible", level=0.95)
    assert lower <= 10_401 <= upper


def test_a_simulation_from_a_scenario_dict_equals_the_cli_on_its_file(tmp_path):
    scenario = {"name": "three lists", "populationSize": 2000,
                "lists": [{"name": "A", "probability": 0.2}, {"name": "B", "probability": 0.3},
                          {"name": "C", "probability": 0.25}]}
    (tmp_path / "scenario.json").write_text(json.dumps(scenario))
    study = dn.simulate(scenario, replicates=20, seed=3)
    assert study.document["summary"] == cli("simulate", "run", str(tmp_path / "scenario.json"), "--replicates",
                                            "20", "--seed", "3", "--no-progress")["summary"]
    assert len(study.tables["summary"]) == 2
    shards = [tmp_path / f"shard{i}.json" for i in (1, 2)]
    for i, path in enumerate(shards, start=1):
        dn.simulate(scenario, replicates=20, seed=3, shard=f"{i}/2", output=path)
    assert dn.simulate_merge(shards).document["summary"] == study.document["summary"]
    with pytest.raises(dn.EngineError) as error:
        dn.simulate(dict(scenario, populationSize=-5))
    assert error.value.status == 65


def test_the_report_is_written_where_asked(tmp_path, capsys):
    path = dn.report("example:UKdat_5", tmp_path / "uk.html", bootstrap=20, bayes=False)
    assert path == tmp_path / "uk.html"
    assert f"wrote {path}" in capsys.readouterr().err
    assert "11,313" in path.read_text()


def test_boolean_list_columns_are_0_1():
    frame = uk_frame()
    flags = frame.astype({name: bool for name in ["LA", "NG", "PFNCA", "GO", "GP"]})
    assert dn.select(flags).total == dn.select(frame).total


def test_the_uk_2013_analysis_in_ten_lines_runs_and_gives_the_published_figures(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    analysis = {}
    example = pathlib.Path(__file__).parent.parent / "examples" / "uk_2013.py"
    exec(compile(example.read_text(), str(example), "exec"), analysis)
    assert "N = 11,313.0" in capsys.readouterr().out
    assert round(analysis["fit"].total) == 11_313
    assert analysis["fit"].document["intervals"] == cli("select", "--example", "UKdat_5", "--bootstrap", "1000",
                                                         "--no-progress")["intervals"]
    assert analysis["bic"].total == cli("select", "--example", "UKdat_5", "--method", "bic", "--max-order",
                                        "3")["selected"]["total"]
    assert (tmp_path / "uk-2013.html").is_file()


def test_build_refuses_a_folder_that_is_not_the_repository_and_a_wrong_path_is_refused(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="no Package.swift"):
        dn.build(tmp_path)
    monkeypatch.setenv("DARKNUMBER", str(tmp_path / "no-such-engine"))
    with pytest.raises(FileNotFoundError, match="not an executable file"):
        dn.find_binary()
