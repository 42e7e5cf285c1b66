using GradeBench.Storage.Accounts;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Live;

/// <summary>What a hub client receives: one method per <see cref="StudyEvent"/>, named after it.</summary>
public interface IStudyClient
{
    Task RatingSubmitted(RatingSubmitted e);
    Task PairSubmitted(PairSubmitted e);
    Task JudgeRated(JudgeRated e);
    Task ProgressChanged(ProgressChanged e);
    Task PresenceChanged(PresenceChanged e);
    Task AgreementUpdated(AgreementUpdated e);
    Task SpanAgreementUpdated(SpanAgreementUpdated e);
    Task StudyStateChanged(StudyStateChanged e);
    Task AdjudicationMessagePosted(AdjudicationMessagePosted e);
    Task AdjudicationChanged(AdjudicationChanged e);
    Task SafetyAlertRaised(SafetyAlertRaised e);
    Task FlagChanged(FlagChanged e);
    Task CalibrationChanged(CalibrationChanged e);
    Task MemberRemoved(MemberRemoved e);
    Task GoldSpansChanged(GoldSpansChanged e);
    /// <summary>Sent to the caller's own connections when they lose access: removed from the study or no longer one of
    /// its coordinators (they have also left its groups), or, with no study, their account disabled (the connection is
    /// then closed).</summary>
    Task AccessRevoked(AccessRevoked e);
}

public sealed record JoinedStudy(long StudyId, string Role, string State, bool Paused);

public sealed record AccessRevoked(long? StudyId, string Reason);

/// <summary>The live channel for clients that are not Blazor circuits (scripts, tools, tests), at <c>/hubs/study</c>.
/// Signed in by cookie or by API token. Every method checks the caller's standing in the study against the database
/// on every call, so a removed member loses access at their next call; <see cref="RevocationFeed"/> also takes them out of
/// the study's groups at once. Feature methods (lifecycle, agreement, adjudication, calibration)
/// live in partial files beside their feature and take their services as method parameters. Groups are per study and role; raters are only
/// ever added to groups whose events are meant for them (see <see cref="EventAudience"/>).</summary>
[Authorize(Policy = LiveServices.HubPolicy)]
public sealed partial class StudyHub(StudyQuery studies, UserStore users, PresenceTracker presence, HubConnections connections) : Hub<IStudyClient>
{
    string PresenceKey => "hub:" + Context.ConnectionId;
    internal long UserId => Context.User!.Id();

    /// <summary>Joins the study's live events for the caller's role and shows them as online.</summary>
    public async Task<JoinedStudy> JoinStudy(long studyId)
    {
        var access = await AccessAsync(studyId);
        await Groups.AddToGroupAsync(Context.ConnectionId, access.IsCoordinator ? StudyGroups.Coordinators(studyId) : StudyGroups.Raters(studyId));
        await Groups.AddToGroupAsync(Context.ConnectionId, StudyGroups.Member(studyId, UserId));
        presence.Enter(PresenceKey, studyId, UserId, Context.User!.DisplayName(), access.Role);
        // Checked again once in the groups: a removal or a change of role committed meanwhile either shows here, or
        // came after the joining and RevocationFeed takes this connection out again.
        var now = await studies.AccessAsync(studyId, UserId, Context.ConnectionAborted);
        if (now?.Role != access.Role)
        {
            await LeaveStudy(studyId);
            throw new HubException(now is null ? $"You are not a member of study {studyId}." : $"Your role in study {studyId} changed as you joined; join it again.");
        }
        return new JoinedStudy(studyId, access.Role, access.State, access.Paused);
    }

    public async Task LeaveStudy(long studyId)
    {
        foreach (var group in StudyGroups.All(studyId, UserId))
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, group);
        presence.Leave(PresenceKey, studyId);
    }

    /// <summary>Tells the coordinators which response the caller has open (<paramref name="response"/>, its handle; null:
    /// none). A rater may name only a response assigned to them, a coordinator any of the study's.</summary>
    public async Task OpenItem(long studyId, string? response, GradingStore grading, ResponseHandleQuery handles)
    {
        var access = await AccessAsync(studyId);
        long? responseId = null;
        if (response is not null)
            responseId = (access.IsCoordinator
                    ? await handles.ResponseIdAsync(studyId, response, Context.ConnectionAborted)
                    : await grading.AssignedResponseIdAsync(studyId, UserId, response, Context.ConnectionAborted))
                ?? throw new HubException($"Response {response} is not assigned to you.");
        presence.Enter(PresenceKey, studyId, UserId, Context.User!.DisplayName(), access.Role, responseId);
    }

    public async Task<IReadOnlyList<PresenceEntry>> GetPresence(long studyId)
    {
        await CoordinatorAsync(studyId);
        return presence.Online(studyId);
    }

    public override async Task OnConnectedAsync()
    {
        connections.Add(Context, UserId);
        try
        {
            // Signed in when the connection was requested; an account disabled since then, before it was listed, ends here.
            if ((await users.FindAsync(UserId, Context.ConnectionAborted))?.DisabledAt is not null) Context.Abort();
            await base.OnConnectedAsync();
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync for a connection whose OnConnectedAsync threw.
            connections.Remove(Context.ConnectionId);
            throw;
        }
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.ConnectionId);
        presence.LeaveAll(PresenceKey);
        return base.OnDisconnectedAsync(exception);
    }

    internal async Task<StudyAccess> AccessAsync(long studyId) =>
        await studies.AccessAsync(studyId, UserId, Context.ConnectionAborted) ?? throw new HubException($"You are not a member of study {studyId}.");

    internal async Task CoordinatorAsync(long studyId)
    {
        if (!(await AccessAsync(studyId)).IsCoordinator) throw new HubException("Only a coordinator of this study can do that.");
    }
}

public static class StudyGroups
{
    public static string Coordinators(long studyId) => $"study:{studyId}:coordinators";
    public static string Raters(long studyId) => $"study:{studyId}:raters";
    public static string Member(long studyId, long userId) => $"study:{studyId}:user:{userId}";

    /// <summary>Every group of the study a connection of this user can be in.</summary>
    public static string[] All(long studyId, long userId) => [Coordinators(studyId), Raters(studyId), Member(studyId, userId)];
}
