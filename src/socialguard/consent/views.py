"""The consent register's pages. Thin: consent.access decides who sees what, consent.services
writes, consent.selectors reads. The enrolment form behind a signed link needs no account."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialguard.consent import access, selectors, services
from socialguard.consent.forms import ImportForm, RecordForm, WithdrawForm
from socialguard.consent.models import Evidence, Takedown, TakedownState
from socialguard.identity.access import current_user, public, requires
from socialguard.people.models import Learner
from socialguard.people.services import ImportFailed
from socialguard.ui import charts
from socialguard.ui.errors import add_service_errors, attempt


def _may_view(request: HttpRequest) -> None:
    if not access.may_view(request.user):
        raise Http404  # like a draft: those who may not read the register are not told who is in it


@requires(access.VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """Current learners and their photo consent, for SMT, the DSL and account runners; anyone
    else is told who reads it (and sees their takedowns, if any)."""
    if not access.may_view(request.user):
        return render(request, "consent/not_yours.html")
    q = request.GET.get("q", "").strip()
    learners = Learner.objects.order_by("last_name", "first_name")
    for word in q.split():
        learners = learners.filter(first_name__icontains=word) | learners.filter(last_name__icontains=word)
    learners_list = list(learners.distinct())
    states = selectors.states_of_learners(learners_list)
    rows = [(le, states[le.external_id]) for le in learners_list]
    return render(
        request,
        "consent/index.html",
        {
            "rows": rows,
            "q": q,
            "can_manage": access.may_manage(request.user),
            "can_import": access.may_import(request.user),
        },
    )


@requires(access.VIEW)
def learner(request: HttpRequest, ref: str) -> HttpResponse:
    _may_view(request)
    person = get_object_or_404(Learner, external_id=ref)
    guardians = [(g.external_id, f"{g.full_name} (parent or guardian)") for g in person.guardians.all()]
    form = RecordForm(request.POST or None, request.FILES or None, guardians=guardians)
    if request.method == "POST":
        if not access.may_manage(request.user):
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data.get("form")
            try:
                services.consent_record(
                    actor=current_user(request),
                    kind="learner",
                    ref=ref,
                    status=form.cleaned_data["status"],
                    scope=form.cleaned_data["scope"],
                    guardian_id=form.cleaned_data["guardian"],
                    given_on=form.cleaned_data["given_on"],
                    expires_on=form.cleaned_data["expires_on"],
                    evidence=form.cleaned_data["evidence"],
                    form=services.Upload(upload.name, upload, upload.size) if upload else None,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Recorded for {person.full_name}.")
                return redirect("consent:learner", ref=ref)
    return render(
        request,
        "consent/learner.html",
        {
            "learner": person,
            "state": selectors.state_of("learner", ref),
            "history": selectors.history("learner", ref),
            "form": form,
            "withdraw_form": WithdrawForm(),
            "can_manage": access.may_manage(request.user),
            "link": request.session.pop(f"consent-link-{ref}", ""),
            "guardians": person.guardians.all(),
        },
    )


@requires(access.MANAGE)
@require_POST
def withdraw(request: HttpRequest, ref: str) -> HttpResponse:
    person = get_object_or_404(Learner, external_id=ref)
    form = WithdrawForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.consent_withdraw(actor=current_user(request), kind="learner", ref=ref, note=note),
        f"{person.full_name}'s consent is withdrawn. Their pending posts were sent back and the "
        "runners were asked to take down what was published.",
    )
    return redirect("consent:learner", ref=ref)


@requires(access.MANAGE)
@require_POST
def issue_link(request: HttpRequest, kind: str, ref: str) -> HttpResponse:
    learner_ref = request.POST.get("learner", ref)
    try:
        token = services.link_token(actor=current_user(request), kind=kind, ref=ref)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        request.session[f"consent-link-{learner_ref}"] = request.build_absolute_uri(
            reverse("consent:form", args=[token])
        )
        messages.success(request, f"Send this link; it works for {services.LINK_DAYS} days.")
    return redirect("consent:learner", ref=learner_ref)


@requires(access.IMPORT)
def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.consent_import(
                actor=current_user(request), data=upload.read(), filename=upload.name
            )
        except ImportFailed as failed:
            errors = [str(e) for e in failed.errors]
        else:
            messages.success(request, result.summary())
            return redirect("consent:index")
    return render(
        request, "consent/import.html", {"form": form, "errors": errors, "columns": services.COLUMNS}
    )


@requires(access.COVERAGE)
def coverage(request: HttpRequest) -> HttpResponse:
    data = selectors.coverage()

    def bars(title: str, groups: list[selectors.CoverageGroup]) -> Any:
        return charts.percent_bars(
            title, [(g.label, g.percent, f"{g.consented} of {g.total}") for g in groups]
        )

    return render(
        request,
        "consent/coverage.html",
        {
            "data": data,
            "programme_chart": bars("Photo consent by programme", data.by_programme),
            "age_chart": bars("Photo consent by age group", data.by_age),
            "lapsing": selectors.lapsing(),
            "days": selectors.LAPSE_WARNING_DAYS,
        },
    )


@requires(access.VIEW)
def takedowns(request: HttpRequest) -> HttpResponse:
    rows = [
        t
        for t in Takedown.objects.select_related("account", "post", "draft", "withdrawal")
        if access.may_confirm_takedown(request.user, t.account) or access.may_view(request.user)
    ]
    return render(
        request,
        "consent/takedowns.html",
        {
            "rows": rows,
            "confirmable": {t.pk for t in rows if access.may_confirm_takedown(request.user, t.account)},
        },
    )


@requires(access.TAKEDOWN)
@require_POST
def confirm_takedown(request: HttpRequest, pk: int) -> HttpResponse:
    takedown = get_object_or_404(Takedown, pk=pk)
    attempt(
        request,
        lambda: services.takedown_confirm(actor=current_user(request), takedown=takedown),
        "Confirmed: the post is being taken down.",
    )
    return redirect("consent:takedowns")


@public
def form(request: HttpRequest, token: str) -> HttpResponse:
    """The enrolment form behind a signed link: no account; it shows only the holder's learners."""
    try:
        kind, holder = services.link_holder(token)
    except ValidationError as exc:
        return render(request, "consent/form_invalid.html", {"message": " ".join(exc.messages)}, status=400)
    learners = services.learners_for_link(kind, holder)
    problem = ""
    if request.method == "POST":
        answers = {le.external_id: request.POST.get(le.external_id, "") for le in learners}
        answers = {ref: a for ref, a in answers.items() if a}
        try:
            services.link_submit(token=token, answers=answers, ip_address=request.META.get("REMOTE_ADDR"))
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            return render(request, "consent/form_done.html", {"holder": holder})
    return render(
        request,
        "consent/form.html",
        {"holder": holder, "is_guardian": kind == "guardian", "learners": learners, "problem": problem,
         "evidence": Evidence.LINK.label, "states": TakedownState},
    )  # fmt: skip
