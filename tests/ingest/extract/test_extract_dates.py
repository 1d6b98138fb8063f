"""Dates read against the document: its year when no date is given, weekdays, bare day numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from bench.harness.paths import SEEDS
from ingest.extract.values import InferredDate, find_dates, reference_date

SEED = SEEDS / "000_a76c9cf03c257c19.txt"


def _values(text: str, reference: date | None) -> list[date]:
    return [d.value for d in find_dates(text, 0, len(text), reference)]


def test_the_seed_without_a_published_date_is_read_as_2025() -> None:
    reference = reference_date(SEED.read_text(encoding="utf-8"), None)
    assert reference is not None and reference.year == 2025 and isinstance(reference, InferredDate)
    out = subprocess.run([sys.executable, "-m", "app.cli", "extract", str(SEED)], capture_output=True, text=True, check=True).stdout
    measures = [json.loads(line)["id"] for line in out.splitlines() if '"Measure"' in line]
    assert measures and all("-2025" in m for m in measures if m.startswith("measure:")), measures


def test_future_years_do_not_date_the_text() -> None:
    assert reference_date("Output fell in 2023. The plant is expected in 2027 and due by 2028.", None).year == 2023


def test_a_dateline_gives_the_day() -> None:
    assert reference_date("WASHINGTON, Jan 23 - Officials said 2018 was hard.", None) == date(2018, 1, 23)
    assert reference_date("新华社北京5月13日电 2019年的数据显示", None) == date(2019, 5, 13)
    assert reference_date("BRUSSELS, Aug 19 - The Commission acted.", date(2024, 8, 20)) == date(2024, 8, 19)


def test_weekdays_are_the_latest_such_day() -> None:
    tuesday = date(2018, 1, 23)
    assert _values("President Trump on Monday approved tariffs.", tuesday) == [date(2018, 1, 22)]
    assert _values("The ministry said (Tuesday) it would act.", tuesday) == [tuesday]
    assert _values("美国海关周二（11日）公布新规", date(2020, 8, 12)) == [date(2020, 8, 11)]
    assert _values("He will decide next Monday.", tuesday) == []


def test_bare_day_numbers_take_the_documents_month() -> None:
    assert _values("委员会13日发布公告", date(2019, 5, 14)) == [date(2019, 5, 13)]
    assert _values("本月12日起实施", date(2019, 5, 14)) == [date(2019, 5, 12)]
    assert _values("28日宣布", date(2019, 5, 14)) == [date(2019, 4, 28)]  # still to come: the month before
    assert _values("新规定于45日后生效，30日内答复", date(2020, 8, 12)) == []


def test_relative_dates_need_a_known_day() -> None:
    assert _values("on Monday the ministry acted; 13日发布", InferredDate(2025, 7, 1)) == []


def test_a_dateline_may_name_two_cities() -> None:
    assert reference_date("WASHINGTON/BEIJING, May 9 (Wire) - The 2025 talks stalled.", None) == date(2025, 5, 9)


def test_last_weekday_is_that_day_of_the_week_before() -> None:
    friday, monday = date(2025, 5, 9), date(2025, 5, 12)
    assert _values("Trump last Thursday threatened sanctions.", friday) == [date(2025, 5, 1)]
    assert _values("Trump on Thursday threatened sanctions.", friday) == [date(2025, 5, 8)]
    assert _values("Trump last Thursday threatened sanctions.", monday) == [date(2025, 5, 8)]
    assert _values("美方上周四宣布加征关税。", friday) == [date(2025, 5, 1)]


def test_a_month_alone_is_the_one_nearest_the_report() -> None:
    may = date(2025, 5, 9)
    assert _values("Treasury sanctions in March hit a refiner, and in early April a second.", may) == [date(2025, 3, 1), date(2025, 4, 1)]
    assert _values("美国财政部3月对一家炼厂实施制裁，去年12月另有一家。", may) == [date(2024, 12, 1)]  # a bare 3月 is not read
    assert _values("The curbs start in November.", may) == [date(2025, 11, 1)]
    assert _values("1至3月出口增长，3个月内完成", may) == []
    assert _values("Treasury sanctions in March hit a refiner.", None) == []  # no day to place it by
    assert [d.precision for d in find_dates("sanctions in March", 0, 18, may)] == ["month"]
