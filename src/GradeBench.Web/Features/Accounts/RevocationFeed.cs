using System.Collections.Concurrent;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Accounts;

/// <summary>Makes a revocation (a member removed from a study, a coordinator made a rater, an account disabled) reach
/// what the user holds open on this server at once, rather than at their next request: their hub connections leave the study's groups (or, for a
/// disabled account, are ended), their live subscriptions and presence end, and their Blazor circuits are told, so the
/// page stops showing the study. Every later action is refused anyway by the stores' own checks; this is about what an
/// open page or connection keeps receiving. This server's own writes call <see cref="CheckNowAsync"/> once committed;
/// a timer picks up those of other processes (the command line) within <see cref="PollInterval"/>.</summary>
public sealed class RevocationFeed(RevocationQuery revocations, StudyQuery studies, UserStore users, HubConnections connections,
    IHubContext<StudyHub, IStudyClient> hub, PresenceTracker presence, StudyEvents events, HubSignIns signIns, TimeProvider clock,
    ILogger<RevocationFeed> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public const string RemovedMessage = "You have been removed from this study.";
    public const string DisabledMessage = "This account has been disabled.";
    public const string CoordinatorRoleLostMessage = "Your role in this study has changed: you no longer coordinate it.";
    public const string TokenEndedMessage = "This API token has been revoked or has expired.";

    public delegate Task Handler(Revocation revocation);

    readonly SemaphoreSlim _gate = new(1, 1);
    readonly ConcurrentDictionary<Watcher, byte> _watchers = new();
    RevocationCursor? _cursor;

    /// <summary>A check found revocations (about to be applied here): other nodes may check at once rather than at their next tick.</summary>
    public event Action? Applied;

    /// <summary>Tells a circuit of this user about each revocation of theirs. Dispose to stop.</summary>
    public IDisposable Watch(long userId, Handler handler)
    {
        var watcher = new Watcher(this, userId, handler);
        _watchers.TryAdd(watcher, 0);
        return watcher;
    }

    public override async Task StartAsync(CancellationToken ct)
    {
        // From now on: connections opened later are checked when they open.
        _cursor = await revocations.CursorAsync(ct);
        await base.StartAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await CheckNowAsync(stoppingToken);
                    await CloseExpiredAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Revocations could not be read");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Applies what was recorded since the last check; returns once the user's hub connections are out of the
    /// study's groups (or ended) and their circuits have been told.</summary>
    public async Task CheckNowAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var (found, cursor) = await revocations.SinceAsync(_cursor!, ct);
            _cursor = cursor;
            if (found.Count > 0) Applied?.Invoke();
            foreach (var revocation in found)
            {
                // One that fails (a connection that went away badly) must not keep the others from being applied.
                try
                {
                    await ApplyAsync(revocation, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "A revocation of user {UserId} could not be applied everywhere", revocation.UserId);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task ApplyAsync(Revocation revocation, CancellationToken ct)
    {
        if (revocation.SessionVersion is { } version)
        {
            // Circuits compare the version with their own cookie's: the browser that changed its password stays signed in.
            foreach (var watcher in _watchers.Keys.Where(w => w.UserId == revocation.UserId)) watcher.Notify(revocation);
            await CloseAsync(signIns.Where(user => user.Id() == revocation.UserId && user.ApiTokenHash() is null
                && user.SessionVersion() < version), HubSignIns.EndedMessage);
            return;
        }
        if (revocation.TokenHash is { } hash)
        {
            await CloseAsync(signIns.Where(user => user.ApiTokenHash() == hash), TokenEndedMessage);
            return;
        }
        // Read again: the user may have been added back, enabled or made coordinator again since, and an administrator
        // taken off a study's members still coordinates it.
        var revoked = revocation switch
        {
            { StudyId: null } => (await users.FindAsync(revocation.UserId, ct))?.DisabledAt is not null,
            // Still a member, as a rater: a removal recorded beside it is a revocation of its own.
            { StudyId: { } studyId, CoordinatorRoleLost: true } => await studies.AccessAsync(studyId, revocation.UserId, ct) is { IsCoordinator: false },
            { StudyId: { } studyId } => await studies.AccessAsync(studyId, revocation.UserId, ct) is null,
        };
        if (!revoked) return;
        // A coordinator made a rater loses everything they hold open in the study, like a removal; what they open
        // again is given as to a rater.
        events.Unsubscribe(revocation.UserId, revocation.StudyId);
        presence.LeaveUser(revocation.UserId, revocation.StudyId);
        // Circuits first (they are only told; never fails), so a hub connection that goes away badly cannot keep them open.
        foreach (var watcher in _watchers.Keys.Where(w => w.UserId == revocation.UserId)) watcher.Notify(revocation);
        var notice = new AccessRevoked(revocation.StudyId, revocation switch
        {
            { StudyId: null } => DisabledMessage,
            { CoordinatorRoleLost: true } => CoordinatorRoleLostMessage,
            _ => RemovedMessage,
        });
        foreach (var connection in connections.Of(revocation.UserId))
        {
            try
            {
                if (revocation.StudyId is { } study)
                {
                    foreach (var group in StudyGroups.All(study, revocation.UserId))
                        await hub.Groups.RemoveFromGroupAsync(connection.ConnectionId, group, ct);
                    await hub.Clients.Client(connection.ConnectionId).AccessRevoked(notice);
                }
                else
                {
                    await hub.Clients.Client(connection.ConnectionId).AccessRevoked(notice);
                    connection.Abort();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Its groups are dropped with it when it closes; the others must still be cut off.
                logger.LogWarning(e, "A hub connection of user {UserId} failed on a revocation", revocation.UserId);
                if (revocation.StudyId is null) connection.Abort();
            }
        }
    }

    /// <summary>Closes the hub connections opened with an API token that has expired since (an expiry is not recorded
    /// anywhere: it is read from the connection's sign-in on every tick).</summary>
    Task CloseExpiredAsync()
    {
        var now = clock.GetUtcNow();
        return CloseAsync(signIns.Where(user => user.ApiTokenExpiresAt() <= now), TokenEndedMessage);
    }

    /// <summary>Tells each connection why, then closes it. The user's other sign-ins keep their connections.</summary>
    async Task CloseAsync(IEnumerable<HubCallerContext> ended, string reason)
    {
        foreach (var connection in ended)
        {
            try
            {
                await hub.Clients.Client(connection.ConnectionId).AccessRevoked(new AccessRevoked(null, reason));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "A hub connection could not be told its sign-in ended");
            }
            connection.Abort();
        }
    }

    void LogFailure(Exception e, long userId) => logger.LogWarning(e, "A circuit of user {UserId} failed on a revocation", userId);

    sealed class Watcher(RevocationFeed owner, long userId, Handler handler) : IDisposable
    {
        public long UserId => userId;

        public void Notify(Revocation revocation) => _ = NotifyAsync(revocation);

        async Task NotifyAsync(Revocation revocation)
        {
            try
            {
                await handler(revocation);
            }
            catch (Exception e)
            {
                owner.LogFailure(e, userId);
            }
        }

        public void Dispose() => owner._watchers.TryRemove(this, out _);
    }
}
