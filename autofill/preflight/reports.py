"""Checks on a report's own fields (the form's 被举报店铺/商品链接 and 订单号): given where the
report type needs them, and in the form the platform accepts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from autofill.bundle import Case, ReportCase
from autofill.check_kinds import ReportFieldParams
from autofill.preflight.context import CheckContext
from autofill.preflight.findings import CheckFn, Hit
from autofill.rulepack import Rule


def report_field(rule: Rule, case: Case, ctx: CheckContext) -> Iterator[Hit]:
    if not isinstance(case, ReportCase):
        return
    params = rule.typed_params(ReportFieldParams)
    if params.report_types and case.report_type not in params.report_types:
        return
    values = (case.target,) if params.field == "target" else case.order_numbers
    values = tuple(v.strip() for v in values if v.strip())
    if params.required and not values:
        yield Hit(params.field, {"field": params.field, "value": ""})
        return
    if params.pattern is None:
        return
    for index, value in enumerate(values):
        if not re.fullmatch(params.pattern, value):
            where = params.field if params.field == "target" else f"{params.field}[{index}]"
            yield Hit(where, {"field": params.field, "value": value})


CHECKS: dict[str, CheckFn] = {"report_field": report_field}
