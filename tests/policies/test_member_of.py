"""``frame.member_of``, the table lookup that stands in for ``np.isin`` over the frames' columns:
the same answer for any column and values, small or not, with ``MISSING`` and negatives."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from chuangfu.policies.rules.frame import MISSING, member_of

values = st.integers(min_value=-5, max_value=40) | st.sampled_from([MISSING, 1 << 24, (1 << 40) + 3])


@given(st.lists(values, max_size=60), st.lists(values, max_size=8))
def test_member_of_is_isin(column, wanted):
    column = np.array(column, dtype=np.int64)
    assert np.array_equal(member_of(column, wanted), np.isin(column, np.array(wanted, dtype=np.int64)))
