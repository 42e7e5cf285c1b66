using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace GradeBench.Web.Tests.Features.Accounts;

/// <summary>Sign-in back-off on a real Kestrel server, whose clients play browsers at different addresses by coming
/// through a proxy on this machine (trusted by default) that names them in <c>X-Forwarded-For</c>.</summary>
public sealed class SignInBackOffTests
{
    const string Password = GradeBenchFactory.AdministratorPassword;

    [Fact]
    public async Task FailuresFromAnotherAddressHoldAnAccountOnlyForTheDocumentedBackOff()
    {
        await using var server = await BackOffServer.StartAsync();
        var attacker = await server.BrowserAsync("203.0.113.9");
        var owner = await server.BrowserAsync("198.51.100.20");
        for (var i = 0; i < SignInThrottle.MaxFailures; i++) await attacker.SignInAsync("ADMIN ", $"guess {i}");

        var held = await owner.SignInAsync("admin", Password);
        var page = await owner.GetStringAsync(held.Headers.Location!.OriginalString);
        server.Clock.Advance(SignInThrottle.FirstWait);
        var afterTheWait = await owner.SignInAsync("admin", Password);

        Assert.Equal("/signin?error=locked&minutes=1&returnUrl=%2F", held.Headers.Location.OriginalString);
        Assert.Contains("Too many attempts. Try again in 1 minute.", page);
        Assert.Equal("/", afterTheWait.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task EachFurtherFailureDoublesTheWaitUpToTheLongest()
    {
        await using var server = await BackOffServer.StartAsync();
        var guesser = await server.BrowserAsync("203.0.113.10");
        var failures = 0;
        var waits = new List<int>();
        // A guess made during a wait is refused unheard; one made after it counts, and doubles the next wait.
        while (waits.Count < 6)
        {
            var answer = (await guesser.SignInAsync("admin", $"guess {failures}")).Headers.Location!.OriginalString;
            if (answer.StartsWith("/signin?error=1")) failures++;
            else
            {
                var minutes = int.Parse(answer.Split('&')[1]["minutes=".Length..]);
                waits.Add(minutes);
                server.Clock.Advance(TimeSpan.FromMinutes(minutes));
            }
        }

        Assert.Equal([1, 2, 4, 8, 15, 15], waits);
        Assert.Equal(SignInThrottle.MaxFailures + 5, failures);
    }

    [Fact]
    public async Task ForwardedAddressesAreBelievedOnlyFromConfiguredProxies()
    {
        // Only 192.0.2.1 may name the client; this loopback "proxy" may not, so all its guesses count against loopback.
        await using var server = await BackOffServer.StartAsync(knownProxies: "192.0.2.1");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress; i++)
            answers.Add(await (await server.BrowserAsync($"203.0.113.{i + 1}")).SignInAsync($"nobody-{i}", "a guess at it"));

        var refused = await (await server.BrowserAsync("198.51.100.99")).SignInAsync("admin", Password);

        Assert.All(answers, answer => Assert.StartsWith("/signin?error=1", answer.Headers.Location?.OriginalString));
        Assert.StartsWith("/signin?error=locked&minutes=1", refused.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ATrustedProxysClientsAreThrottledEachOnTheirOwn()
    {
        await using var server = await BackOffServer.StartAsync();
        var sprayer = await server.BrowserAsync("203.0.113.50");
        for (var i = 0; i < SignInThrottle.MaxFailuresPerAddress; i++) await sprayer.SignInAsync($"nobody-{i}", "a guess at it");

        var sprayerRefused = await sprayer.SignInAsync("admin", Password);
        var neighbour = await (await server.BrowserAsync("198.51.100.51")).SignInAsync("admin", Password);

        Assert.StartsWith("/signin?error=locked&minutes=1", sprayerRefused.Headers.Location?.OriginalString);
        Assert.Equal("/", neighbour.Headers.Location?.OriginalString);
    }

    /// <summary>The app on Kestrel at a free port with a clock the test moves, the administrator's password set.</summary>
    internal sealed class BackOffServer(GradeBenchFactory files, WebApplicationFactory<Program> app, FakeTimeProvider clock) : IAsyncDisposable
    {
        public FakeTimeProvider Clock => clock;
        Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        public static async Task<BackOffServer> StartAsync(string? knownProxies = null)
        {
            var files = new GradeBenchFactory();
            var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var app = files.WithWebHostBuilder(builder =>
            {
                builder.UseSetting("urls", "http://127.0.0.1:0");
                if (knownProxies is not null) builder.UseSetting("GradeBench:KnownProxies", knownProxies);
                builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(clock));
            });
            app.UseKestrel(0);
            app.StartServer();
            var users = app.Services.GetRequiredService<UserStore>();
            var admin = await users.FindByUsernameAsync(UserStore.AdministratorName) ?? (await users.AdministratorWithoutPasswordAsync())!;
            await users.SetPasswordHashAsync(admin.Id, app.Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(admin, Password));
            return new BackOffServer(files, app, clock);
        }

        /// <summary>A browser at <paramref name="address"/>, as the local proxy names it.</summary>
        public async Task<Browser> BrowserAsync(string address)
        {
            var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };
            http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
            return new Browser(http, await GradeBenchFactory.AntiforgeryTokenAsync(http, "/signin"));
        }

        public async ValueTask DisposeAsync()
        {
            await app.DisposeAsync();
            await files.DisposeAsync();
        }
    }

    internal sealed class Browser(HttpClient http, string antiforgery)
    {
        // The body is written out rather than by FormUrlEncodedContent, whose pooled buffers would count as the server's.
        public Task<HttpResponseMessage> SignInAsync(string username, string password) =>
            http.PostAsync("/account/signin", new ByteArrayContent(Encoding.UTF8.GetBytes(
                $"username={Uri.EscapeDataString(username)}&password={Uri.EscapeDataString(password)}&returnUrl=%2F" +
                $"&__RequestVerificationToken={Uri.EscapeDataString(antiforgery)}"))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") },
            });

        public Task<string> GetStringAsync(string path) => http.GetStringAsync(path);
    }
}
