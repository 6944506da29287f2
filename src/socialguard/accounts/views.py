from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialguard.accounts import access, crypto, lifecycle, selectors, services, transitions, vault
from socialguard.accounts.forms import (
    FOUND_MAX,
    CommentForm,
    CreateAccountForm,
    DecisionForm,
    ProposalForm,
    RevealForm,
    SecretForm,
)
from socialguard.accounts.models import OrgAccount, Proposal, VaultSecret
from socialguard.identity import reauth
from socialguard.identity.access import current_user, requires, signed_in
from socialguard.identity.permissions import can
from socialguard.ids import parse_id
from socialguard.people import access as people_access
from socialguard.people.models import StaffMember
from socialguard.ui.errors import add_service_errors, attempt


@signed_in  # each sees the proposals access.py lets them see (none, for some), as in the API
def proposals(request: HttpRequest) -> HttpResponse:
    listed = access.proposals_visible(request.user).select_related("proposer")
    page = Paginator(listed.prefetch_related("runners__staff"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/proposals.html",
        {
            "page": page,
            "chosen": request.GET,
            "proposals": page.object_list,
            "can_propose": can(request.user, "accounts.propose"),
            "sees_all": access.sees_all(request.user),
            # The registry readers have the registry; a runner finds the accounts they run here.
            "my_accounts": [] if access.sees_all(request.user) else access.accounts_visible(request.user),
        },
    )


PAGE_SIZE = 50  # accounts or proposals a list page shows


def _proposal_form(request: HttpRequest, initial: dict[str, Any]) -> ProposalForm:
    """The proposal form, bound to what was sent unless the person pressed Find: then it lists the
    people found, keeps every answer and says nothing is missing yet (they have not sent it)."""
    find = request.POST.get("find", "").strip() if request.method == "POST" else ""
    found = people_access.directory(request.user, find)
    if request.method == "POST" and "find_runners" in request.POST:
        sent: dict[str, Any] = {name: request.POST.get(name, "") for name in ProposalForm.base_fields}
        sent["runners"] = request.POST.getlist("runners")
        sent["two_factor"] = bool(request.POST.get("two_factor"))
        return ProposalForm(initial=sent, found=found, find=find)
    return ProposalForm(request.POST or None, initial=initial, found=found, find=find)


@requires("accounts.propose")
def propose(request: HttpRequest) -> HttpResponse:
    form = _proposal_form(request, {"two_factor": True})
    if form.is_bound and form.is_valid():
        try:
            proposal = services.proposal_submit(
                actor=current_user(request), values=form.values(), runners=form.runner_choices()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your proposal has gone to the senior management team.")
            return redirect("accounts:proposal", pk=proposal.pk)
    return render(request, "accounts/propose.html", {"form": form, "title": "Propose an account"})


@requires(people_access.DIRECTORY_ACTION)
def find_people(request: HttpRequest) -> JsonResponse:
    """The proposal form's search as the person types (picker.js): a few names from the directory
    (name, department and staff ID only), never the whole of it."""
    find = request.GET.get("q", "").strip()
    found = list(people_access.directory(request.user, find)[: FOUND_MAX + 1]) if find else []
    return JsonResponse(
        {
            "people": [
                {"id": p.pk, "name": str(p), "detail": people_access.directory_entry(p).department}
                for p in found[:FOUND_MAX]
            ],
            "more": len(found) > FOUND_MAX,
        }
    )


@requires("accounts.propose")
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    if services.staff_of(request.user) != proposal.proposer:
        raise PermissionDenied
    lead = proposal.runners.filter(is_lead=True).first()
    initial = {
        **{f: getattr(proposal, f) for f in services.PROPOSAL_FIELDS},
        "runners": [r.staff for r in proposal.runners.all()],
        "lead": lead.staff if lead else None,
    }
    form = _proposal_form(request, initial)
    if form.is_bound and form.is_valid():
        try:
            services.proposal_revise(
                actor=current_user(request),
                proposal=proposal,
                values=form.values(),
                runners=form.runner_choices(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Proposal revised.")
            return redirect("accounts:proposal", pk=pk)
    return render(request, "accounts/propose.html", {"form": form, "title": "Revise the proposal"})


@signed_in  # the people named in it, and whoever may see the registry (incl. the auditor)
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal.objects.select_related("proposer", "decided_by"), pk=pk)
    if not access.may_see_proposal(request.user, proposal):
        raise Http404
    return _proposal_page(request, proposal)


def _proposal_page(
    request: HttpRequest, proposal: Proposal, create_form: CreateAccountForm | None = None
) -> HttpResponse:
    # What the page offers comes from the workflow's table (accounts.transitions), not state rules.
    actions = transitions.allowed_actions(proposal, request.user)
    can_decide = "approve" in actions
    waiting = can_decide or "revise" in actions
    return render(
        request,
        "accounts/proposal.html",
        {
            "proposal": proposal,
            "runners": proposal.runners.select_related("staff"),
            "comments": proposal.comments.select_related("author"),
            # The proposer's home page sends them here: they see what SMT are waiting for too.
            "blockers": services.proposal_blockers(proposal) if waiting else [],
            # The runner training is recorded on the training pages; link there, straight back after.
            "can_record_training": can(request.user, "training.manage"),
            "can_see_declarations": can(request.user, "declarations.view"),
            "record_training": reverse("policies:training_record"),
            "here": request.get_full_path(),
            "actions": actions,
            "can_decide": can_decide,
            "can_create": "create_account" in actions,
            "is_proposer": "revise" in actions,
            "decision_form": DecisionForm(),
            "create_form": create_form
            or CreateAccountForm(
                initial={
                    "handle": proposal.handle,
                    "login_email": proposal.shared_mailbox,
                    "visibility": proposal.visibility,
                }
            ),
            "comment_form": CommentForm(),
            "can_comment": can(request.user, "accounts.decide")
            or services.staff_of(request.user) in services.people_named(proposal),
        },
    )


def _post_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    attempt(request, lambda: action(proposal), success)
    return redirect("accounts:proposal", pk=pk)


@requires("accounts.propose")
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    text = request.POST.get("text", "")
    return _post_action(
        request,
        pk,
        lambda p: services.proposal_comment(actor=current_user(request), proposal=p, text=text),
        "Comment added.",
    )


@requires("accounts.propose")
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda p: services.proposal_withdraw(actor=current_user(request), proposal=p),
        "Proposal withdrawn.",
    )


@requires("accounts.decide")
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    reason = request.POST.get("reason", "")

    def decide_it(proposal: Proposal) -> None:
        try:
            services.proposal_decide(
                actor=current_user(request), proposal=proposal, approve=approve, reason=reason
            )
        except services.ApprovalBlocked as blocked:
            # One line: the page lists each blocker once, with its link to act.
            raise ValidationError(
                "Not approved yet: first clear what is listed under 'Approval is blocked'"
            ) from blocked

    return _post_action(
        request,
        pk,
        decide_it,
        "Approved: now create the account." if approve else "Rejected; the proposer has been told.",
    )


@requires("accounts.manage")
@require_POST
def create_account(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(Proposal, pk=pk)
    form = CreateAccountForm(request.POST)
    if not form.is_valid():
        # Shown again with each problem beside its field, and what was typed kept.
        return _proposal_page(request, proposal, create_form=form)
    try:
        account = services.account_create(actor=current_user(request), proposal=proposal, **form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _proposal_page(request, proposal, create_form=form)
    messages.success(request, "Account recorded. Store its password in the vault now.")
    return redirect("accounts:account", pk=account.pk)


@requires("accounts.view")
def registry(request: HttpRequest) -> HttpResponse:
    page = Paginator(OrgAccount.objects.only("pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's accounts, then their warnings for those only (a fixed number of queries).
    accounts = OrgAccount.objects.filter(pk__in=[a.pk for a in page.object_list])
    proposals = selectors.open_proposals(limit=PAGE_SIZE + 1)
    return render(
        request,
        "accounts/registry.html",
        {
            "page": page,
            "chosen": request.GET,
            "rows": selectors.registry(accounts=accounts),
            "proposals": proposals[:PAGE_SIZE],
            "more_proposals": len(proposals) > PAGE_SIZE,
        },
    )


@signed_in  # the registry readers and the account's current runners (access.py), as in the API
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(OrgAccount.objects.select_related("monitor", "proposal"), pk=pk)
    if not access.may_see_account(request.user, account):
        raise Http404
    secrets = list(account.secrets.select_related("changed_by"))
    runners = list(account.runners.select_related("staff"))
    return render(
        request,
        "accounts/account.html",
        {
            "account": account,
            "runners": runners,
            "runners_to_lead": [r for r in runners if r.active and not r.is_lead],
            "secrets": [(s, vault.rotation_due(s)) for s in secrets],
            "tasks": [lifecycle.task_state(t) for t in account.leaver_tasks.select_related("staff")],
            "reviews": account.reviews.select_related("reviewer")[:10],
            "review_due": lifecycle.review_due(account),
            "can_manage": can(request.user, "accounts.manage"),
            "candidates": selectors.runner_candidates(account, find=request.GET.get("find", "")),
            "today": timezone.localdate(),
            "can_vault": can(request.user, "vault.manage"),
            "secret_form": SecretForm(),
            "suggested": crypto.generate_password(),
        },
    )


@requires("vault.manage")
@require_POST
def store_secret(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(OrgAccount, pk=pk)
    form = SecretForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: vault.secret_store(
                actor=current_user(request),
                account=account,
                kind=form.cleaned_data["kind"],
                label=form.cleaned_data["label"],
                value=form.cleaned_data["value"],
                rotate_every_days=form.cleaned_data["rotate_every_days"],
            ),
            "Stored, encrypted. It is shown again only to SMT who give a reason.",
        )
    else:
        messages.error(request, "Choose what it is and enter the secret.")
    return redirect("accounts:account", pk=pk)


@never_cache
@requires("vault.reveal")
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    secret = get_object_or_404(VaultSecret.objects.select_related("account"), pk=pk)
    form = RevealForm(secret.account, request.POST or None)
    value = None
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        if code:
            device = TOTPDevice.objects.filter(user=current_user(request), confirmed=True).first()
            allowed = device is not None and device.verify_is_allowed()[0]
            if device is not None and not allowed:
                form.add_error("code", "Too many wrong codes: wait a few seconds and try the newest one.")
            elif device is not None and device.verify_token(code):
                reauth.mark(request)
            else:
                form.add_error("code", "That code is not right; use the current one from your app.")
        if not form.errors:
            try:
                value = vault.secret_reveal(
                    actor=current_user(request),
                    secret=secret,
                    reason=form.cleaned_data["reason"],
                    reauthenticated=reauth.is_recent(request),
                    for_staff=form.cleaned_data["for_staff"],
                )
            except PermissionDenied as exc:
                form.add_error("code", str(exc).capitalize() + ".")
            except ValidationError as exc:
                form.add_error("reason", " ".join(exc.messages))
    return render(request, "accounts/reveal.html", {"secret": secret, "form": form, "value": value})


def _account_action(request: HttpRequest, pk: int, action: Any, success: str) -> HttpResponse:
    account = get_object_or_404(OrgAccount, pk=pk)
    attempt(request, lambda: action(account), success)
    return redirect("accounts:account", pk=pk)


def _staff(request: HttpRequest) -> StaffMember | None:
    """The person chosen in a runner picker, or None where the blank "Choose a person" was sent."""
    staff_id = parse_id(request.POST.get("staff", ""))
    return get_object_or_404(StaffMember, pk=staff_id) if staff_id is not None else None


@requires("accounts.manage")
@require_POST
def review_account(request: HttpRequest, pk: int) -> HttpResponse:
    post = request.POST
    return _account_action(
        request,
        pk,
        lambda a: lifecycle.review_record(
            actor=current_user(request),
            account=a,
            looked_at=post.get("looked_at", ""),
            issues_found=post.get("issues_found", ""),
            actions=post.get("actions", ""),
        ),
        "Monitoring review recorded.",
    )


@requires("accounts.manage")
@require_POST
def add_runner(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    if staff is None:
        messages.error(request, "Choose the person to add as a runner.")
        return redirect("accounts:account", pk=pk)
    return _account_action(
        request,
        pk,
        lambda a: lifecycle.runner_add(actor=current_user(request), account=a, staff=staff),
        f"{staff.full_name} now runs the account.",
    )


@requires("accounts.manage")
@require_POST
def transfer_lead(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff(request)
    if staff is None:
        messages.error(request, "Choose the runner who becomes the lead.")
        return redirect("accounts:account", pk=pk)
    return _account_action(
        request,
        pk,
        lambda a: lifecycle.lead_transfer(actor=current_user(request), account=a, to=staff),
        f"{staff.full_name} is now the lead.",
    )


@requires("accounts.manage")
@require_POST
def close_account(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        closed_on = dt.date.fromisoformat(request.POST.get("closed_on", ""))
    except ValueError:
        messages.error(request, "closed on: give the date it was closed, as YYYY-MM-DD")
        return redirect("accounts:account", pk=pk)
    how = request.POST.get("how", "")
    return _account_action(
        request,
        pk,
        lambda a: lifecycle.account_close(
            actor=current_user(request), account=a, closed_on=closed_on, how=how
        ),
        "Account closed.",
    )
