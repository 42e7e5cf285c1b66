using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Live;

/// <summary>Forwards every <see cref="StudyEvents"/> event published on this node (with several nodes, each relays its
/// own and the Redis backplane delivers them everywhere) to the hub groups of its audience: coordinators always,
/// all raters for events meant for everyone, else only the raters it names. <see cref="RatingChanged"/> and
/// <see cref="PairChanged"/> stay in the process: they only keep a rater's own grading tabs in step, and a hub client knows what it wrote itself;
/// <see cref="SpansChanged"/> too: it only starts computations whose results are sent.</summary>
public sealed class HubRelay(StudyEvents events, IHubContext<StudyHub, IStudyClient> hub, LiveStatus status) : IHostedService
{
    IDisposable? _subscription;

    public Task StartAsync(CancellationToken ct)
    {
        _subscription = events.SubscribeAll(RelayAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    Task RelayAsync(StudyEvent studyEvent)
    {
        if (studyEvent is RatingChanged or PairChanged or SpansChanged) return Task.CompletedTask;
        // Redis is away: each send would wait for its timeout while the queue grows, and arrive stale after the
        // clients have read their state again on reconnecting. Dropped, as the backplane would lose them anyway.
        if (status.Paused) return Task.CompletedTask;
        var clients = hub.Clients.Groups(Groups(studyEvent));
        return studyEvent switch
        {
            RatingSubmitted e => clients.RatingSubmitted(e),
            PairSubmitted e => clients.PairSubmitted(e),
            JudgeRated e => clients.JudgeRated(e),
            ProgressChanged e => clients.ProgressChanged(e),
            PresenceChanged e => clients.PresenceChanged(e),
            AgreementUpdated e => clients.AgreementUpdated(e),
            SpanAgreementUpdated e => clients.SpanAgreementUpdated(e),
            StudyStateChanged e => clients.StudyStateChanged(e),
            AdjudicationMessagePosted e => clients.AdjudicationMessagePosted(e),
            AdjudicationChanged e => clients.AdjudicationChanged(e),
            SafetyAlertRaised e => clients.SafetyAlertRaised(e),
            FlagChanged e => clients.FlagChanged(e),
            CalibrationChanged e => clients.CalibrationChanged(e),
            MemberRemoved e => clients.MemberRemoved(e),
            GoldSpansChanged e => clients.GoldSpansChanged(e),
            _ => throw new InvalidOperationException($"No hub method for {studyEvent.GetType().Name}."),
        };
    }

    static List<string> Groups(StudyEvent studyEvent)
    {
        var audience = studyEvent.Audience();
        List<string> groups = audience.Coordinators ? [StudyGroups.Coordinators(studyEvent.StudyId)] : [];
        if (audience.AllRaters) groups.Add(StudyGroups.Raters(studyEvent.StudyId));
        else groups.AddRange(audience.Raters.Select(id => StudyGroups.Member(studyEvent.StudyId, id)));
        return groups;
    }
}
