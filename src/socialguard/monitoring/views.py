"""The monitoring pages: the alert inbox with triage, and the sources (what is monitored and
why, their health; SMT add and change them). Thin: access decides, services write."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialguard.accounts.models import AccountStatus, OrgAccount
from socialguard.identity.access import requires
from socialguard.identity.models import User
from socialguard.identity.permissions import can
from socialguard.ids import parse_id
from socialguard.monitoring import access, exports, selectors, services
from socialguard.monitoring.models import Alert, AlertKind, AlertState, Kind, Source
from socialguard.ui.errors import attempt


class SourceForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=Kind.choices)
    # Each field says which kinds it is for: SMT fill in only what their kind needs.
    account = forms.ModelChoiceField(
        queryset=OrgAccount.objects.filter(status=AccountStatus.ACTIVE),
        required=False,
        label="Organisational account",
        help_text="Bluesky sources: the account they read with. An export: the account it is from. "
        "A feed: leave it empty.",
    )
    url = forms.CharField(
        max_length=1000,
        required=False,
        label="Web address",
        help_text="A feed: its address (https://…). The event stream: the relay's address (wss://…), "
        "or empty for the account's server. Other kinds: leave it empty.",
    )
    terms = forms.CharField(
        required=False,
        label="Names to look for",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mentions, look-alike accounts and the event stream: one name per line. "
        "Empty: the organisation's names, aliases and handles.",
    )
    platform = forms.ChoiceField(
        choices=[("", "—")] + [(p, exports.PLATFORM_NAMES.get(p, p)) for p in exports.PARSERS],
        required=False,
        label="Export from",
        help_text="A platform data export only: which platform's file you will upload.",
    )
    every_minutes = forms.IntegerField(
        min_value=5,
        initial=15,
        label="Check every (minutes)",
        help_text="Not used for uploads or the stream.",
    )
    enabled = forms.BooleanField(required=False, initial=True)


def _visible(request: HttpRequest, pk: int) -> Alert:
    alert = get_object_or_404(Alert, pk=pk)
    if not access.may_see(request.user, alert):
        raise Http404  # a safeguarding alert is not even said to exist to others
    return alert


@requires("monitoring.view")
def alerts(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "open")
    kind = request.GET.get("kind", "")
    if kind not in AlertKind.values:
        kind = ""
    items = selectors.alerts_for(request.user, state=state, kind=kind)[:200]
    return render(
        request,
        "monitoring/alerts.html",
        {"alerts": items, "state": state, "kind": kind, "kinds": AlertKind.choices},
    )


@requires("monitoring.view")
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _visible(request, pk)
    triage = alert.is_open and access.may_triage(request.user, alert)
    return render(
        request,
        "monitoring/alert.html",
        {
            "alert": alert,
            "triage": triage,
            "may_respond": triage and access.is_senior(request.user) and alert.kind == AlertKind.CRITICISM,
            "may_case": triage and can(request.user, "cases.report"),
            "assignees": selectors.assignees(alert) if triage else [],
            "items": alert.items.select_related("source"),
            "accounts": OrgAccount.objects.filter(
                status=AccountStatus.ACTIVE, platform=alert.platform or "bluesky"
            ),
        },
    )


@requires("monitoring.triage")
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _visible(request, pk)
    reason = request.POST.get("reason", "")
    attempt(
        request, lambda: services.alert_dismiss(actor=request.user, alert=alert, reason=reason), "Dismissed."
    )
    return redirect("monitoring:alert", pk=alert.pk)


@requires("monitoring.triage")
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _visible(request, pk)
    # A sign-in's id, as the form sends it; anything else is no one.
    chosen = parse_id(request.POST.get("assignee", ""))
    assignee = User.objects.filter(pk=chosen, is_active=True).first() if chosen is not None else None
    attempt(
        request,
        lambda: services.alert_assign(actor=request.user, alert=alert, assignee=assignee),
        f"Assigned to {assignee}." if assignee else "Assigned.",
    )
    return redirect("monitoring:alert", pk=alert.pk)


@requires("monitoring.triage")
@require_POST
def to_case(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _visible(request, pk)
    made: list[object] = []
    if attempt(
        request,
        lambda: made.append(
            services.alert_to_case(actor=request.user, alert=alert, summary=request.POST.get("summary", ""))
        ),
        "A case was opened from this alert.",
    ):
        case = made[0]
        if can(request.user, "cases.view"):
            return redirect("incidents:case", case.pk)  # type: ignore[attr-defined]
    return redirect("monitoring:alert", pk=alert.pk)


@requires("monitoring.triage")
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    alert = _visible(request, pk)
    account = OrgAccount.objects.filter(pk=request.POST.get("account") or 0).first()
    made: list[object] = []
    if attempt(
        request,
        lambda: made.append(
            services.alert_respond(
                actor=request.user, alert=alert, text=request.POST.get("text", ""), account=account
            )
        ),
        "Reply drafted. It answers criticism, so an SMT member must approve it before it goes out.",
    ):
        return redirect("posts:draft", pk=made[0].pk)  # type: ignore[attr-defined]
    return redirect("monitoring:alert", pk=alert.pk)


@requires("monitoring.view")
def sources(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "monitoring/sources.html",
        {
            "sources": selectors.sources(),
            "manage": can(request.user, "monitoring.manage"),
            "retention_days": services.retention_days(),
            "terms": services.organisation_terms(),
        },
    )


def _config(form: SourceForm) -> dict[str, object]:
    data = form.cleaned_data
    return {
        "url": data.get("url", ""),
        "terms": [t for t in (data.get("terms") or "").splitlines() if t.strip()],
        "platform": data.get("platform", ""),
    }


@requires("monitoring.manage")
def source_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk) if pk else None
    if request.method == "POST":
        form = SourceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            saved: list[Source] = []
            if attempt(
                request,
                lambda: saved.append(
                    services.source_save(
                        actor=request.user,
                        source=source,
                        name=data["name"],
                        kind=data["kind"],
                        account=data.get("account"),
                        config=_config(form),
                        every_minutes=data["every_minutes"],
                        enabled=data.get("enabled", False),
                    )
                ),
                "Source saved.",
            ):
                return redirect("monitoring:sources")
    else:
        initial = {}
        if source is not None:
            initial = {
                "name": source.name,
                "kind": source.kind,
                "account": source.account,
                "url": source.config.get("url", ""),
                "terms": "\n".join(source.config.get("terms", [])),
                "platform": source.config.get("platform", ""),
                "every_minutes": source.every_minutes,
                "enabled": source.enabled,
            }
        form = SourceForm(initial=initial)
    return render(request, "monitoring/source_form.html", {"form": form, "source": source})


@requires("monitoring.manage")
@require_POST
def source_poll(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    result = services.poll(source)
    (messages.error if result.error else messages.success)(request, str(result))
    return redirect("monitoring:sources")


@requires("monitoring.manage")
@require_POST
def source_upload(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose the export file to upload.")
        return redirect("monitoring:sources")
    if upload.size and upload.size > exports.MAX_BYTES:
        messages.error(request, "The file is too large: split it.")
        return redirect("monitoring:sources")
    data = upload.read()
    result: list[object] = []
    attempt(
        request,
        lambda: result.append(
            services.import_export(actor=request.user, source=source, data=data, filename=upload.name or "")
        ),
        f"{upload.name} read.",
    )
    if result:
        messages.info(request, str(result[0]))
    return redirect(reverse("monitoring:sources"))


__all__ = ["AlertState"]
