using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;

namespace GradeBench.LoadTest;

/// <summary>What the hub sends as <c>RatingSubmitted</c> (GradeBench.Web's StudyEvent.cs; this tool does not reference the web project).</summary>
public sealed record RatingSubmittedMessage(long StudyId, long RaterId, string RaterName, long ResponseId, string ResponseSlug, DateTimeOffset At);

/// <summary>The part of <c>AgreementUpdated</c> the tool needs: the moment the server read the ratings.</summary>
/// <summary>An assigned response: its handle, as the rater's API names it, and its id, as the coordinator's events do.</summary>
public sealed record AssignedItem(string Handle, long Id);

public sealed record AgreementUpdatedMessage(long StudyId, DateTimeOffset AsOf);

/// <summary>One entry of the hub's <c>GetPresence</c>: a rater's entry names the response their grading page has open,
/// which only an interactive circuit reports (a hub connection joins with none).</summary>
public sealed record PresenceEntryMessage(long UserId, string Name, string Role, long? ResponseId, DateTimeOffset Since, bool Connected);

/// <summary>One person signed in as a browser would be: their own cookies over the run's shared HTTP client (so
/// 200 users share one connection pool), and their own hub connection carrying the same cookies.</summary>
sealed partial class SimulatedUser(Account account, Uri server, HttpClient http) : IAsyncDisposable
{
    readonly CookieContainer _cookies = new();
    HubConnection? _hub;
    IReadOnlyList<AssignedItem> _items = [];
    int _next;

    public Account Account => account;

    /// <summary>The node this user works on.</summary>
    public Uri Server => server;

    /// <summary>The cookies the server has set (sign-in and antiforgery), for a browser to carry the same session.</summary>
    public CookieCollection Cookies => _cookies.GetCookies(server);

    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="([^"]+)"|<input[^>]*value="([^"]+)"[^>]*name="__RequestVerificationToken"[\s/>]""")]
    private static partial Regex AntiforgeryField();

    /// <summary>The sign-in form as a browser sends it: the page first, for its antiforgery cookie and field.</summary>
    public async Task SignInAsync(string password, CancellationToken ct)
    {
        using var page = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/signin"), ct);
        page.EnsureSuccessStatusCode();
        var match = AntiforgeryField().Match(await page.Content.ReadAsStringAsync(ct));
        if (!match.Success) throw new InvalidOperationException("The sign-in page has no antiforgery field.");
        var token = WebUtility.HtmlDecode(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = account.Username,
            ["password"] = password,
            ["returnUrl"] = "/",
            ["__RequestVerificationToken"] = token,
        });
        using var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/account/signin") { Content = form }, ct);
        if (answer.StatusCode != HttpStatusCode.Redirect || answer.Headers.Location?.OriginalString.StartsWith("/signin") != false)
            throw new InvalidOperationException($"{account.Username} could not sign in: {(int)answer.StatusCode} to {answer.Headers.Location}.");
    }

    /// <summary>Opens the hub connection and joins the study; <paramref name="configure"/> adds handlers before it starts.</summary>
    public async Task ConnectAsync(long studyId, Action<HubConnection>? configure, CancellationToken ct)
    {
        _hub = new HubConnectionBuilder().WithUrl(new Uri(server, "/hubs/study"), options => options.Cookies = _cookies).Build();
        configure?.Invoke(_hub);
        await _hub.StartAsync(ct);
        await _hub.InvokeAsync<JsonElement>("JoinStudy", studyId, ct);
    }

    /// <summary>Who the server sees connected to the study (coordinators only).</summary>
    public Task<List<PresenceEntryMessage>> GetPresenceAsync(long studyId, CancellationToken ct) =>
        (_hub ?? throw new InvalidOperationException("Not connected.")).InvokeAsync<List<PresenceEntryMessage>>("GetPresence", studyId, ct);

    /// <summary>Reads the caller's assigned responses from the API; submits then go through them in queue order. The API
    /// names responses by handle; <paramref name="responseIds"/> (read from the database) gives the id the coordinator's
    /// events carry.</summary>
    public async Task LoadAssignmentsAsync(long studyId, IReadOnlyDictionary<string, long> responseIds, CancellationToken ct)
    {
        using var answer = await SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/studies/{studyId}/assignments"), ct);
        answer.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await answer.Content.ReadAsStreamAsync(ct));
        _items = json.RootElement.GetProperty("assignments").EnumerateArray().Select(a => a.GetProperty("response").GetString()!)
            .Select(handle => new AssignedItem(handle, responseIds[handle])).ToList();
        if (_items.Count == 0) throw new InvalidOperationException($"{account.Username} has no assignments.");
    }

    /// <summary>The next assigned response to rate; after the last, the first again (a changed rating is announced as well).</summary>
    public AssignedItem NextItem() => _items[(Interlocked.Increment(ref _next) - 1) % _items.Count];

    /// <summary>Sends a request with this user's cookies and keeps the cookies the answer sets.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var cookies = _cookies.GetCookieHeader(server);
        if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
        var answer = await http.SendAsync(request, ct);
        if (answer.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var cookie in set) _cookies.SetCookies(server, cookie);
        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null) await _hub.DisposeAsync();
    }
}
