using System.Globalization;
using System.Security.Claims;
using GradeBench.Web.Features.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace GradeBench.Web.Features.Live;

/// <summary>What a live component listens to: the study's events its user may see (as a coordinator or a rater) and,
/// for a page that shows its user online, the role (and the response they have open) to show.</summary>
public sealed record LiveStudy(long StudyId, bool IsCoordinator, string? PresenceRole = null, long? ResponseId = null);

/// <summary>The live-page protocol, written once. A component resolves its user (<see cref="ResolveUserAsync"/>), reads
/// its data, then calls <see cref="ListenAsync"/>. In a live circuit (never while prerendering: that page is gone once
/// sent) this subscribes to the study's events, enters presence when asked, and reads again, so that nothing published
/// between the first read and the subscription is lost; a dropped connection that comes back reads again too. Events
/// that pass <see cref="Wants"/>, reconnections and the component's own timers (<see cref="RunLiveAsync"/>) run on the
/// renderer's context and are followed by a render; their failures go to <see cref="ComponentBase.DispatchExceptionAsync"/>,
/// as a lifecycle method's would. With several nodes, the component also reads again when live updates resume after a
/// Redis outage (<see cref="LiveStatus"/>). Disposing stops all of it.</summary>
public abstract class LiveComponent : ComponentBase, IAsyncDisposable
{
    [Inject] StudyEvents Events { get; set; } = default!;
    [Inject] CircuitPresence Circuit { get; set; } = default!;
    [Inject] LiveStatus Status { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    IDisposable? _subscription;
    LiveStudy? _listening;
    long? _present;
    // Events already queued for an ended subscription still arrive; they belong to a study this page no longer shows.
    int _generation;
    bool _disposed;
    // The circuit's language, as the component is made in it: work started elsewhere (another user's event, a timer)
    // carries that thread's culture into InvokeAsync (dotnet/aspnetcore#28521), so live texts would change language.
    readonly CultureInfo _culture = CultureInfo.CurrentCulture, _uiCulture = CultureInfo.CurrentUICulture;

    protected long UserId { get; private set; }
    protected string UserName { get; private set; } = "";

    /// <summary>Reads the signed-in user into <see cref="UserId"/> and <see cref="UserName"/>.</summary>
    protected async Task<ClaimsPrincipal> ResolveUserAsync()
    {
        var user = (await AuthenticationState).User;
        (UserId, UserName) = (user.Id(), user.DisplayName());
        return user;
    }

    /// <summary>Reads the component's data again: after subscribing, on reconnection and, unless
    /// <see cref="OnStudyEventAsync"/> says otherwise, on every wanted event. May call <see cref="StopListening"/>.</summary>
    protected abstract Task ReloadAsync();

    /// <summary>Which of the study's events concern this component (called off the renderer's context).</summary>
    protected abstract bool Wants(StudyEvent studyEvent);

    protected virtual Task OnStudyEventAsync(StudyEvent studyEvent) => ReloadAsync();

    protected virtual Task OnReconnectedAsync() => ReloadAsync();

    /// <summary>Listens to <paramref name="study"/> (null: to nothing, as for a user refused the page). Called again for
    /// the same study it only updates presence; for another study it moves the subscription and presence there.</summary>
    protected async Task ListenAsync(LiveStudy? study)
    {
        if (study is null)
        {
            StopListening();
            return;
        }
        if (!RendererInfo.IsInteractive || _disposed) return;
        var subscribed = _listening is { } current && current.StudyId == study.StudyId && current.IsCoordinator == study.IsCoordinator;
        if (!subscribed)
        {
            _subscription?.Dispose();
            var generation = ++_generation;
            _subscription = Events.Subscribe(study.StudyId, UserId, study.IsCoordinator, e => OnEventAsync(e, generation));
            if (_listening is null)
            {
                Circuit.Reconnected += OnConnectionBackAsync;
                Status.Changed += OnLiveStatusChanged;
                Circuit.StartListening();
            }
        }
        _listening = study;
        if (_present is { } entered && (entered != study.StudyId || study.PresenceRole is null)) Leave();
        if (study.PresenceRole is { } role)
        {
            Circuit.Enter(study.StudyId, UserId, UserName, role, study.ResponseId);
            _present = study.StudyId;
        }
        if (!subscribed) await ReloadAsync();
    }

    /// <summary>Ends the subscription, the reconnection handler and presence (the user lost access, or the page closes).</summary>
    protected void StopListening()
    {
        _generation++;
        _subscription?.Dispose();
        _subscription = null;
        if (_listening is not null)
        {
            Circuit.Reconnected -= OnConnectionBackAsync;
            Status.Changed -= OnLiveStatusChanged;
            Circuit.StopListening();
        }
        _listening = null;
        Leave();
    }

    void Leave()
    {
        if (_present is { } studyId) Circuit.Leave(studyId);
        _present = null;
    }

    /// <summary>Runs work that starts outside the renderer (an event, a reconnection, a timer) on the component's
    /// context, then renders; a failure reaches the renderer (an error boundary, else the circuit) rather than a log.</summary>
    protected Task RunLiveAsync(Func<Task> work) => InvokeAsync(async () =>
    {
        if (_disposed) return;
        (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (_culture, _uiCulture);
        try
        {
            await work();
            StateHasChanged();
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    });

    Task OnEventAsync(StudyEvent studyEvent, int generation) =>
        Wants(studyEvent)
            ? RunLiveAsync(() => generation == _generation ? OnStudyEventAsync(studyEvent) : Task.CompletedTask)
            : Task.CompletedTask;

    Task OnConnectionBackAsync() => RunLiveAsync(() => _listening is null ? Task.CompletedTask : OnReconnectedAsync());

    // Other nodes' news published while Redis was away never came: read it, as after a dropped connection.
    void OnLiveStatusChanged(bool paused)
    {
        if (!paused) _ = OnConnectionBackAsync();
    }

    /// <summary>The component's own clean-up (JavaScript modules, pending saves); listening stops after it, whatever it throws.</summary>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        try
        {
            await DisposeAsyncCore();
        }
        finally
        {
            StopListening();
            GC.SuppressFinalize(this);
        }
    }
}
