"""Bad goals, bad fleets and bad files get messages that name the problem."""

from __future__ import annotations

import io

import pytest

from hashinsight_desktop.core.curtailment import (
    CurtailmentRequest,
    Fleet,
    GroupLimit,
    PowerMode,
    plan_curtailment,
)
from hashinsight_desktop.core.curtailment.fleet_csv import FleetFileError, parse_fleet_csv


def _fleet(**kwargs) -> Fleet:
    return Fleet.build(["a", "b", "c", "d"], [100, 100, 100, 100], [3000, 3000, 3000, 3000],
                       ips=["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"], **kwargs)


def test_goal_larger_than_possible_names_the_maximum() -> None:
    result = plan_curtailment(_fleet(pinned=[True, False, False, False]),
                              CurtailmentRequest("shed_kw", 50.0))
    assert result.status == "infeasible"
    assert not result.actions
    assert "at most 9.0 kW can be shed" in result.messages[0]
    assert "1 pinned" in result.messages[0]


def test_cap_below_the_pinned_load() -> None:
    result = plan_curtailment(_fleet(pinned=[True, True, False, False]),
                              CurtailmentRequest("cap_kw", 5.0))
    assert result.status == "infeasible"
    assert "below the pinned load of 6.0 kW" in result.messages[0]


def test_cap_already_met_sheds_nothing() -> None:
    result = plan_curtailment(_fleet(), CurtailmentRequest("cap_kw", 20.0))
    assert result.status == "optimal"
    assert not result.actions
    assert "already within the cap" in result.messages[0]


def test_no_eligible_miners() -> None:
    result = plan_curtailment(_fleet(pinned=[True] * 4), CurtailmentRequest("shed_kw", 1.0))
    assert result.status == "infeasible"
    assert "no eligible miners" in result.messages[0]


def test_offline_and_stopped_miners_are_excluded_and_listed() -> None:
    fleet = _fleet(online=[False, True, True, True], running=[True, False, True, True])
    result = plan_curtailment(fleet, CurtailmentRequest("shed_kw", 5.0))
    assert result.status == "optimal"
    assert {(e.miner_id, e.reason) for e in result.excluded} == {("a", "offline"),
                                                                  ("b", "already off")}
    assert {a.miner_id for a in result.actions} == {"c", "d"}


def test_group_limits_that_make_the_goal_impossible() -> None:
    fleet = _fleet(groups={"container": ["c1", "c1", "c1", "c1"]})
    request = CurtailmentRequest("shed_kw", 7.0,
                                 group_limits=(GroupLimit("container", "c1", max_off=2),))
    result = plan_curtailment(fleet, request)
    assert result.status == "infeasible"
    assert "within the group limits" in result.messages[-1]


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"goal": "shed_kw", "target_kw": -1}, "target_kw"),
    ({"goal": "shed_kw", "target_kw": 0}, "must be > 0"),
    ({"goal": "halve", "target_kw": 1}, "goal 'halve'"),
    ({"goal": "cap_kw", "target_kw": 1, "time_limit_s": 0}, "time_limit_s"),
    ({"goal": "cap_kw", "target_kw": 1, "client_min_running_share": {"x": 1.5}}, "client 'x'"),
    ({"goal": "cap_kw", "target_kw": 1, "objective": "revenue"}, "needs economics"),
])
def test_request_validation(kwargs: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        CurtailmentRequest(**kwargs)


def test_fleet_validation() -> None:
    with pytest.raises(ValueError, match="duplicate id 'a'"):
        Fleet.build(["a", "a"], [1, 1], [1, 1])
    with pytest.raises(ValueError, match=r"power_w: value -5\.0 at index 1"):
        Fleet.build(["a", "b"], [1, 1], [1, -5])
    with pytest.raises(ValueError, match="hashrate_ths: expected 2 values"):
        Fleet.build(["a", "b"], [1], [1, 1])
    with pytest.raises(ValueError, match="power_fraction"):
        PowerMode("bad", 1.2, 0.9)
    with pytest.raises(ValueError, match="dimension 'rack' is not in the fleet"):
        plan_curtailment(_fleet(), CurtailmentRequest(
            "shed_kw", 1.0, group_limits=(GroupLimit("rack", "r1", max_off=1),)))
    with pytest.raises(ValueError, match="give at least one limit"):
        GroupLimit("rack", "r1")


def test_unknown_group_and_client_are_noted() -> None:
    fleet = _fleet(groups={"container": ["c1"] * 4})
    result = plan_curtailment(fleet, CurtailmentRequest(
        "shed_kw", 1.0, group_limits=(GroupLimit("container", "nope", max_off=1),),
        client_min_running_share={"ghost": 0.5}))
    assert result.status == "optimal"
    assert any("container=nope has no miners" in m for m in result.messages)
    assert any("client 'ghost' has no miners" in m for m in result.messages)


def _csv(text: str) -> Fleet:
    return parse_fleet_csv(io.StringIO(text), source="fleet.csv")


def test_fleet_csv_reads_optional_columns() -> None:
    fleet = _csv("id,ip,hashrate_ths,power_w,site,group,client,pinned,group_breaker\n"
                 "a,10.0.0.1,100,3250,s1,c1,acme,yes,b1\n"
                 "\n"
                 "b,10.0.0.2,95.5,3100,s1,c2,,,b1\n")
    assert fleet.size == 2
    assert list(fleet.pinned) == [True, False]
    assert list(fleet.groups["group"]) == ["c1", "c2"]
    assert list(fleet.groups["breaker"]) == ["b1", "b1"]
    assert fleet.hashrate_ths[1] == 95.5


@pytest.mark.parametrize(("text", "fragment"), [
    ("id,ip,power_w\n", r"lacks column\(s\) hashrate_ths"),
    ("id,ip,hashrate_ths,power_w\na,10.0.0.1,fast,3000\n", "line 2: hashrate_ths 'fast'"),
    ("id,ip,hashrate_ths,power_w\na,10.0.0.1,1,3000\na,10.0.0.2,1,3000\n",
     "line 3: id 'a' repeats line 2"),
    ("id,ip,hashrate_ths,power_w\na,10.0.0.300,1,3000\n", "line 2: ip '10.0.0.300'"),
    ("id,ip,hashrate_ths,power_w,pinned\na,10.0.0.1,1,3000,maybe\n", "line 2: pinned 'maybe'"),
    ("id,ip,hashrate_ths,power_w\na,10.0.0.1,1,-3\n", "line 2: power_w '-3'"),
    ("id,ip,hashrate_ths,power_w\n", "no miners"),
])
def test_fleet_csv_errors_name_the_line(text: str, fragment: str) -> None:
    with pytest.raises(FleetFileError, match=fragment):
        _csv(text)
