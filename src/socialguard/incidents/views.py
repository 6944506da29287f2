from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from socialguard import csvfiles
from socialguard.identity.access import current_user, requires, signed_in
from socialguard.identity.models import User
from socialguard.identity.permissions import can
from socialguard.identity.roles import SAFEGUARDING_ROLES, Role
from socialguard.ids import parse_id
from socialguard.incidents import evidence as files
from socialguard.incidents import selectors, services, transitions
from socialguard.incidents.access import Access, access, may_manage, reads_safeguarding
from socialguard.incidents.downloads import EvidenceUnavailable, evidence_response
from socialguard.incidents.forms import AGENCIES, ENTRY_KINDS, OUTCOMES, PARTY_ROLES, WORKING, ReportForm
from socialguard.incidents.models import Case, Category, Referral, Severity, Status, Task
from socialguard.policies.selectors import clause_sections, current_version
from socialguard.ui import charts
from socialguard.ui.errors import add_service_errors, attempt

PAGE_SIZE = 50  # cases a list page shows; the filters and search find older ones


def _checked_files(request: HttpRequest, field: str = "evidence") -> list[files.CheckedFile]:
    return [files.check(f.name or "file", f, f.size) for f in request.FILES.getlist(field)]


@signed_in  # each person sees the cases `access` lets them: their own reports at least
def case_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    status = request.GET.get("status", "")
    category = request.GET.get("category", "")
    cases = selectors.case_list(request.user, query=query, status=status, category=category)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "incidents/list.html",
        {
            "page": page,
            "rows": selectors.rows_for(request.user, page.object_list),
            "chosen": request.GET,
            "q": query,
            "status": status,
            "category": category,
            "statuses": [("open", "Open"), *Status.choices],
            "categories": Category.choices,
            "safeguarding_reader": reads_safeguarding(request.user),
            "sees_cases": can(request.user, "cases.view"),
            # The auditor reads cases but does not report them: no button to a page they may not open.
            "can_report": can(request.user, "cases.report"),
        },
    )


def _parties_from_post(request: HttpRequest) -> list[services.PartyInput]:
    names = request.POST.getlist("party_name")
    roles = request.POST.getlist("party_role")
    return [
        services.party_from_text(name, roles[n] if n < len(roles) else "other")
        for n, name in enumerate(names)
        if name.strip()
    ]


@requires("cases.report")
def report(request: HttpRequest) -> HttpResponse:
    # ?category=safeguarding: the compose page's link from a safeguarding finding starts there.
    chosen = request.GET.get("category", "")
    initial = {"category": chosen} if chosen in Category.values else {}
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.report_submit(
                actor=current_user(request),
                category=data["category"],
                summary=data["summary"],
                platform=data["platform"],
                url=data["url"],
                account=data["account"],
                happened_on=data["happened_on"],
                parties=_parties_from_post(request),
                reporter_affected=data["reporter_affected"],
                attachments=_checked_files(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            who = "the Designated Safeguarding Lead" if case.restricted else "the senior management team"
            messages.success(request, f"Thank you. Your report {case.reference} has gone to {who}.")
            return redirect("incidents:case", pk=case.pk)
    staff_names = list(
        User.objects.filter(is_active=True, staff_member__isnull=False).values_list("full_name", flat=True)
    )
    return render(
        request,
        "incidents/report.html",
        {
            "form": form,
            "party_roles": PARTY_ROLES,
            "staff_names": staff_names,
            "rows": range(3),
        },
    )


def _case_for(request: HttpRequest, pk: int) -> tuple[Case, Access]:
    case = get_object_or_404(Case, pk=pk)
    level = access(request.user, case)
    if level == Access.NONE:
        raise Http404  # not even whether it exists
    return case, level


def _managers(case: Case) -> list[User]:
    roles = SAFEGUARDING_ROLES if case.restricted else {Role.SMT, *SAFEGUARDING_ROLES}
    people = User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct()
    return [u for u in people if may_manage(u, case)]


@never_cache
@signed_in
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case, level = _case_for(request, pk)
    view = selectors.case_view(request.user, case)
    if level == Access.FULL:
        services.restricted_viewed(actor=current_user(request), case=case, where="web")
    version = current_version()
    return render(
        request,
        "incidents/case.html",
        {
            "case": case,
            "view": view,
            # What the page offers comes from the workflow's table, not from state rules here.
            "actions": transitions.allowed_actions(case, request.user),
            "parties": case.parties.select_related("staff", "learner", "guardian")
            if level == Access.FULL
            else [],
            "clauses": case.clauses.all() if level == Access.FULL else [],
            "clause_sections": clause_sections(version) if view.can_manage else [],
            "managers": _managers(case) if view.can_manage else [],
            "severities": Severity.choices,
            "entry_kinds": ENTRY_KINDS,
            "working": WORKING,
            "agencies": AGENCIES,
            "outcomes": OUTCOMES,
            "party_roles": PARTY_ROLES,
            "today": timezone.localdate(),
            "safeguarding_reader": reads_safeguarding(request.user),
            "staff_parties": [p for p in case.parties.select_related("staff") if p.staff_id]
            if view.can_manage
            else [],
        },
    )


def _act(request: HttpRequest, case: Case, action: Callable[[], Any], success: str) -> HttpResponse:
    attempt(request, action, success)
    if access(request.user, case) == Access.NONE:
        return redirect("incidents:list")
    return redirect("incidents:case", pk=case.pk)


def _managed(request: HttpRequest, pk: int) -> Case:
    case, _ = _case_for(request, pk)
    if not may_manage(request.user, case):
        raise PermissionDenied
    return case


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({field: "give a date as YYYY-MM-DD"}) from None


def _user(value: str) -> User | None:
    user_id = parse_id(value)
    return User.objects.filter(pk=user_id).first() if user_id is not None else None


@requires("cases.manage")
@require_POST
def triage(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    post = request.POST
    return _act(
        request,
        case,
        lambda: services.triage(
            actor=current_user(request),
            case=case,
            severity=post.get("severity", ""),
            investigator=_user(post.get("investigator", "")),
            clause_keys=post.getlist("clauses"),
            note=post.get("note", ""),
        ),
        "Triage recorded.",
    )


@requires("cases.manage")
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    return _act(
        request,
        case,
        lambda: services.status_set(
            actor=current_user(request),
            case=case,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        ),
        "Status changed.",
    )


@requires("cases.manage")
@require_POST
def add_entry(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    post = request.POST

    def action() -> None:
        day = _date(post["happened_on"], "happened_on") if post.get("happened_on") else None
        services.entry_add(
            actor=current_user(request),
            case=case,
            kind=post.get("kind", ""),
            text=post.get("text", ""),
            happened_on=day,
            restricted=post.get("restricted") == "on",
            attachments=_checked_files(request),
        )

    return _act(request, case, action, "Added to the chronology.")


@requires("cases.manage")
@require_POST
def add_party(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    party = services.party_from_text(request.POST.get("person", ""), request.POST.get("role", "other"))
    return _act(
        request,
        case,
        lambda: services.party_add(actor=current_user(request), case=case, party=party),
        "Person added.",
    )


@requires("cases.manage")
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    return _act(
        request,
        case,
        lambda: services.escalate(
            actor=current_user(request), case=case, reason=request.POST.get("reason", "")
        ),
        "Referred to the DSL. Only the DSL and deputies can read this case now.",
    )


@requires("cases.manage")
@require_POST
def add_task(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    post = request.POST
    return _act(
        request,
        case,
        lambda: services.task_add(
            actor=current_user(request),
            case=case,
            text=post.get("text", ""),
            due_on=_date(post.get("due_on", ""), "due_on"),
            assignee=_user(post.get("assignee", "")),
        ),
        "Task added.",
    )


@requires("cases.manage")
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(Task, pk=pk)
    case = _managed(request, task.case_id)
    return _act(
        request, case, lambda: services.task_done(actor=current_user(request), task=task), "Task done."
    )


@requires("cases.manage")
@require_POST
def add_referral(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    post = request.POST
    return _act(
        request,
        case,
        lambda: services.referral_add(
            actor=current_user(request),
            case=case,
            agency=post.get("agency", ""),
            referred_on=_date(post.get("referred_on", ""), "referred_on"),
            reference=post.get("reference", ""),
            notes=post.get("notes", ""),
        ),
        "Referral recorded.",
    )


@requires("cases.manage")
@require_POST
def referral_response(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(Referral, pk=pk)
    case = _managed(request, referral.case_id)
    post = request.POST
    return _act(
        request,
        case,
        lambda: services.referral_response(
            actor=current_user(request),
            referral=referral,
            response=post.get("response", ""),
            response_on=_date(post.get("response_on", ""), "response_on"),
        ),
        "Response recorded.",
    )


@requires("cases.manage")
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    post = request.POST
    subject_id = parse_id(post.get("subject", ""))
    subject = case.parties.filter(staff_id=subject_id).first() if subject_id is not None else None
    return _act(
        request,
        case,
        lambda: services.case_close(
            actor=current_user(request),
            case=case,
            outcome=post.get("outcome", ""),
            note=post.get("note", ""),
            subject=subject.staff if subject else None,
        ),
        "Case closed. The reporter has been told.",
    )


@requires("cases.retention")
@require_POST
def anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    case = _managed(request, pk)
    return _act(
        request, case, lambda: services.case_anonymise(actor=current_user(request), case=case), "Anonymised."
    )


@never_cache
@signed_in  # the file's case decides: `selectors.may_download`
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        return evidence_response(request.user, pk, where="evidence", inline=request.GET.get("view") == "1")
    except EvidenceUnavailable:
        return HttpResponse("This file is missing or has been altered; tell the DSL or SMT.", status=410)


@requires("cases.view")
def export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y-%m-%d}.csv"'
    csvfiles.writer(response).writerows(selectors.export_rows(request.user))
    return response


@requires("cases.reports")
def reports(request: HttpRequest) -> HttpResponse:
    figures = selectors.stats(request.user)
    categories = sorted(figures.by_category, key=lambda c: -figures.by_category[c])
    return render(
        request,
        "incidents/reports.html",
        {
            "stats": figures,
            "categories": categories,
            "period_from": charts.month_label(figures.months[0]),
            "period_to": charts.month_label(figures.months[-1]),
            "month_chart": charts.stacked_columns(
                "Reports by month and category",
                [
                    (charts.month_label(m), [(c, figures.by_month[m][c]) for c in categories])
                    for m in figures.months
                ],
            ),
            "month_table": [
                (charts.month_label(m), [figures.by_month[m][c] for c in categories]) for m in figures.months
            ],
            "outcome_chart": charts.count_bars("Closed cases by outcome", figures.by_outcome.most_common()),
            "age_chart": charts.count_bars("Open cases by age", figures.open_by_age),
        },
    )


@requires("cases.retention")
def retention(request: HttpRequest) -> HttpResponse:
    return render(request, "incidents/retention.html", {"cases": selectors.retention_due(request.user)})
