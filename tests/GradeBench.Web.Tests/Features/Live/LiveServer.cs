using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Tests.Features.Accounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Live;

/// <summary>The real app on Kestrel at a free port, for clients that speak over real sockets. Tests share the server
/// but not their world: each imports its own copy of the demo study and creates its own accounts.</summary>
public sealed class LiveServer : IDisposable
{
    public const string Password = GradeBenchFactory.MemberPassword;

    readonly GradeBenchFactory _app;

    public LiveServer() : this(new GradeBenchFactory()) { }

    /// <summary>The app given (one node of several, say) on Kestrel.</summary>
    internal LiveServer(GradeBenchFactory app)
    {
        _app = app;
        _app.UseKestrel(0);
        _app.StartServer();
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri Address { get; }
    public IServiceProvider Services => _app.Services;
    public Uri HubUrl => new(Address, "/hubs/study");

    /// <summary>A copy of the demo study under an id of its own: open, blinded, with the pilot ratings.</summary>
    public Task<long> ImportDemoCopyAsync() => _app.ImportDemoCopyAsync();

    /// <summary>A copy of the demo study with note labels, in adjudication, two raters' passages of one note to decide.</summary>
    internal Task<Adjudication.NoteAdjudicationScene> NoteSceneAsync() => Adjudication.NoteAdjudicationScene.CreateAsync(_app);

    /// <summary>A new account, a member of the study in the role given; with <see cref="Password"/> only when asked,
    /// since hashing one takes a noticeable moment.</summary>
    public Task<User> UserAsync(long studyId, string name, string role = "rater", bool withPassword = false) =>
        _app.MemberAsync(studyId, name, role, withPassword);

    public Task<string> TokenAsync(User user) => Services.GetRequiredService<ApiTokenStore>().CreateAsync(user.Id, "hub test");

    public async Task<HttpClient> BearerClientAsync(User user)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        return client;
    }

    /// <summary>A hub connection, not yet started, signed in by the user's API token.</summary>
    public async Task<Listener> ListenerAsync(User user)
    {
        var token = await TokenAsync(user);
        return new Listener(new HubConnectionBuilder()
            .WithUrl(HubUrl, options => options.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build());
    }

    /// <summary>Signs in through the sign-in form and returns the cookies the browser would keep.</summary>
    public async Task<CookieContainer> SignInAsync(User user)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Address };
        var answer = await SignInTests.PostSignInAsync(client, user.Username, Password);
        if (answer.StatusCode != HttpStatusCode.Redirect || answer.Headers.Location?.OriginalString != "/")
            // The body carries the server's exception page: a failure seen once under load must say why.
            throw new InvalidOperationException($"Sign-in failed: {(int)answer.StatusCode} {answer.Headers.Location}\n{await BodyStartAsync(answer)}");
        return cookies;
    }

    static async Task<string> BodyStartAsync(HttpResponseMessage answer)
    {
        var body = await answer.Content.ReadAsStringAsync();
        return body.Length > 4000 ? body[..4000] : body;
    }

    /// <summary>The first response assigned to the rater and not completed by them.</summary>
    public async Task<long> OpenAssignmentAsync(long studyId, User rater, long except = 0)
    {
        await using var connection = await Services.GetRequiredService<Database>().OpenAsync();
        return await connection.ExecuteScalarAsync<long>("""
            SELECT MIN(response_id) FROM assignments WHERE study_id = @StudyId AND rater_id = @RaterId AND completed_at IS NULL AND response_id <> @Except
            """, new { StudyId = studyId, RaterId = rater.Id, Except = except });
    }

    public static Task<HttpResponseMessage> PutRatingAsync(HttpClient client, long studyId, string handle, string json) =>
        client.PutAsync($"/api/studies/{studyId}/responses/{handle}/rating", new StringContent(json, Encoding.UTF8, "application/json"));

    public void Dispose() => _app.Dispose();
}

/// <summary>A hub connection that keeps every message it receives, as the raw JSON of its argument, and lets a test
/// wait for the first message that satisfies a condition.</summary>
public sealed class Listener : IAsyncDisposable
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Every method of <see cref="IStudyClient"/>: a handler for each, so nothing sent goes unseen.</summary>
    public static readonly IReadOnlyList<string> Methods = typeof(IStudyClient).GetMethods().Select(m => m.Name).ToList();

    readonly List<(string Method, JsonElement Argument)> _received = [];
    readonly List<(string Method, Func<JsonElement, bool> Matches, TaskCompletionSource<JsonElement> Done)> _waiting = [];
    readonly Lock _gate = new();
    int _mark;

    public Listener(HubConnection connection)
    {
        Connection = connection;
        foreach (var method in Methods)
            connection.On(method, [typeof(JsonElement)], arguments =>
            {
                Receive(method, ((JsonElement)arguments[0]!).Clone());
                return Task.CompletedTask;
            });
    }

    public HubConnection Connection { get; }

    /// <summary>Everything received since the connection was made, <see cref="Mark"/> or not.</summary>
    public IReadOnlyList<(string Method, JsonElement Argument)> Received
    {
        get { lock (_gate) return _received.ToList(); }
    }

    void Receive(string method, JsonElement argument)
    {
        lock (_gate)
        {
            _received.Add((method, argument));
            foreach (var waiter in _waiting.Where(w => w.Method == method && w.Matches(argument)).ToList())
            {
                _waiting.Remove(waiter);
                waiter.Done.TrySetResult(argument);
            }
        }
    }

    /// <summary>The first message of <paramref name="method"/> since the last <see cref="Mark"/> that matches,
    /// whether it came before this call or comes within the patience.</summary>
    public Task<JsonElement> NextAsync(string method, Func<JsonElement, bool>? matches = null)
    {
        matches ??= _ => true;
        lock (_gate)
        {
            foreach (var (m, argument) in _received.Skip(_mark))
                if (m == method && matches(argument)) return Task.FromResult(argument);
            var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((method, matches, done));
            return done.Task.WaitAsync(Patience);
        }
    }

    /// <summary>Later waits look only at what arrives from now on.</summary>
    public void Mark()
    {
        lock (_gate) _mark = _received.Count;
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
