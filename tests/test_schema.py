"""schema.build: exactly the documented columns and dtypes, and loud failure on a typo."""

from __future__ import annotations

import pandas as pd
import pytest

from cablelab import schema


def test_a_value_outside_a_categorical_set_is_an_error_naming_frame_column_and_value():
    with pytest.raises(ValueError, match=r"leftovers column 'kind': 'bogus_kind' is not one of"):
        schema.build_columns("leftovers", {"kind": ["bogus_kind"], "line": [1], "text": ["x"]}, 1)
    with pytest.raises(ValueError, match=r"mentions column 'side': 'Soviet'"):
        schema.build("mentions", [{"side": "Soviet"}])


def test_missing_values_stay_missing_in_every_dtype():
    frame = schema.build("leftovers", [{"line": 3, "text": None, "kind": None}])
    assert frame.loc[0, "line"] == 3 and pd.isna(frame.loc[0, "text"]) and pd.isna(frame.loc[0, "kind"])
    assert [str(t) for t in frame.dtypes] == [str(schema.dtype_of(c.dtype)) for c in schema.FRAMES["leftovers"]]
