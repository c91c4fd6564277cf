"""Danish numbers: our fast formatter writes exactly what Babel writes for da_DK."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import example, given
from hypothesis import strategies as st

from webapp.formatting import format_number


def babel(value: float | int | Decimal, digits: int | None) -> str:
    if digits is None:
        return format_decimal(value, locale="da_DK")
    return format_decimal(value, format=f"#,##0.{'0' * digits}" if digits else "#,##0",
                          locale="da_DK")


numbers = st.one_of(
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**12, max_value=10**12,
                places=5),
)


@given(numbers, st.sampled_from([None, 0, 1, 2, 3]))
@example(-0.0001, None)
@example(0.0005, None)
@example(0.0015, None)
@example(2.5, 2)
@example(-1234.5, None)
@example(1e20, None)
@example(1234567, 2)
def test_format_number_writes_what_babel_writes(value, digits):
    assert format_number(value, digits) == babel(value, digits)


def test_the_usual_cases():
    assert format_number(1234567) == "1.234.567"
    assert format_number(2643.5) == "2.643,5"
    assert format_number(12.3456) == "12,346"
    assert format_number(0.5, 2) == "0,50"
    assert format_number(None) == ""
