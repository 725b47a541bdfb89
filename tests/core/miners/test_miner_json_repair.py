"""The tolerant JSON reader, one quirk from MINER_API.md per test."""

from __future__ import annotations

import math

import pytest

from hashinsight_desktop.core.miners.json_repair import JsonRepairError, loads_tolerant


def parse(text: str | bytes):
    return loads_tolerant(text).value


def test_valid_json_takes_the_fast_path() -> None:
    result = loads_tolerant('{"a": 1}')
    assert result.value == {"a": 1} and result.repairs == []


def test_objects_back_to_back_without_comma() -> None:  # bmminer STATS
    assert parse('{"STATS":[{"a":1}{"b":2}],"id":1}') == {"STATS": [{"a": 1}, {"b": 2}], "id": 1}


def test_leading_comma_in_array() -> None:
    assert parse('{"S":[,{"a":1}]}') == {"S": [{"a": 1}]}


def test_trailing_commas() -> None:  # btminer
    result = loads_tolerant('{"a":{"b":1,},"c":[1,2,],}')
    assert result.value == {"a": {"b": 1}, "c": [1, 2]}
    assert "trailing comma in object" in result.repairs


def test_missing_comma_between_members() -> None:  # btminer 2023-01-06
    assert parse('{"temp":"1""temp0":2}') == {"temp": "1", "temp0": 2}
    assert parse('{"a":1 "b":[1 2]}') == {"a": 1, "b": [1, 2]}


def test_raw_newline_and_control_chars_in_strings() -> None:
    assert parse('{"upgrade_result":"0\n","t":"a\tb\x01"}') == {
        "upgrade_result": "0\n", "t": "a\tb\x01"}


def test_avalon_leading_comma_id() -> None:
    assert parse(',"id":1}') == {"id": 1}


def test_bare_and_quoted_inf_nan() -> None:
    value = parse('{"a":inf,"b":-inf,"c":nan,"d":"inf","e":NaN,"f":Infinity}')
    assert value["a"] == math.inf and value["b"] == -math.inf and math.isnan(value["c"])
    assert value["d"] == "inf"  # quoted stays a string: values.num() makes it unknown
    assert math.isnan(value["e"]) and value["f"] == math.inf


def test_dict_inside_brackets() -> None:  # Whatsminer 2.0.4
    assert parse('{"Msg":["mac":"AA","ip":"1.2.3.4"]}') == {"Msg": {"mac": "AA", "ip": "1.2.3.4"}}


def test_duplicate_keys_last_wins_both_paths() -> None:  # Hammer D10 temp1
    assert parse('{"temp1":45,"temp1":52}') == {"temp1": 52}  # json.loads path
    result = loads_tolerant('{"temp1":45,"temp1":52,}')  # repair path
    assert result.value == {"temp1": 52}
    assert any("duplicate key 'temp1'" in r for r in result.repairs)


def test_trailing_nuls_and_whitespace() -> None:
    assert parse(b'{"a":1}\x00\x00\n') == {"a": 1}


def test_strings_containing_the_quirk_patterns_stay_intact() -> None:
    tricky = '{"Msg":"a\\",}b }{ [,{ ,] inf nan","x":[1,],"User":"w,}{x"}'
    value = parse(tricky)
    assert value == {"Msg": 'a",}b }{ [,{ ,] inf nan', "x": [1], "User": "w,}{x"}
    # and through the repair path with a real quirk next to them
    value = parse('{"s":"keep \\",} and }{ here" "t":"x,]"}')
    assert value == {"s": 'keep ",} and }{ here', "t": "x,]"}


def test_non_utf8_body() -> None:
    result = loads_tolerant(b'{"Type":"S19\xff"}')
    assert result.value == {"Type": "S19\ufffd"}
    assert "non-UTF-8 bytes replaced" in result.repairs


def test_top_level_objects_merged() -> None:
    assert parse('{"a":1}{"b":2}') == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    "body",
    [
        '{"STATUS":[{"STATUS":"S"',
        '{"a":"unterminated',
        '{"a":1,"b":',
        '{"a":[1,2',
        '{"a"',
        "",
        "\x00",
        "Socket connect failed: Connection refused\n",
        '{"a":1} trailing words',
    ],
)
def test_truncated_or_plain_text_is_an_error_not_invented_data(body: str) -> None:
    with pytest.raises(JsonRepairError):
        loads_tolerant(body)


def test_invalid_escape_kept_literally() -> None:
    assert parse('{"p":"C:\\q",}') == {"p": "C:\\q"}


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(JsonRepairError):
        loads_tolerant("[" * 5000 + "]" * 4999 + ",")
