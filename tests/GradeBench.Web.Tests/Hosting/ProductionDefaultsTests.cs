using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Hosting;

/// <summary>The app as the README starts it (the Production environment) on real Kestrel: what a stranger sees when
/// something fails, the headers every answer carries and how a return address with control characters is read.</summary>
public sealed class ProductionDefaultsTests : IDisposable
{
    readonly GradeBenchFactory _factory = new();
    readonly WebApplicationFactory<Program> _app;
    readonly Uri _address;

    public ProductionDefaultsTests()
    {
        _app = _factory.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
        _app.UseKestrel(0);
        _app.StartServer();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public void Dispose()
    {
        _app.Dispose();
        _factory.Dispose();
    }

    HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = _address };

    async Task<User> AdministratorWithPasswordAsync()
    {
        var users = _app.Services.GetRequiredService<UserStore>();
        var admin = await users.FindByUsernameAsync(UserStore.AdministratorName) ?? (await users.AdministratorWithoutPasswordAsync())!;
        await users.SetPasswordHashAsync(admin.Id, _app.Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(admin, GradeBenchFactory.AdministratorPassword));
        return admin;
    }

    async Task<HttpClient> BearerClientAsync(User user)
    {
        var client = Browser();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            await _app.Services.GetRequiredService<ApiTokenStore>().CreateAsync(user.Id, "defaults test"));
        return client;
    }

    static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string? returnUrl)
    {
        var token = await GradeBenchFactory.AntiforgeryTokenAsync(client, "/signin");
        var form = new Dictionary<string, string>
        {
            ["username"] = UserStore.AdministratorName,
            ["password"] = GradeBenchFactory.AdministratorPassword,
            ["__RequestVerificationToken"] = token,
        };
        if (returnUrl is not null) form["returnUrl"] = returnUrl;
        return await client.PostAsync("/account/signin", new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task AFailureGivesProblemDetailsUnderApiAndThePlainErrorPageElsewhereNeverATrace()
    {
        var admin = await AdministratorWithPasswordAsync();
        var api = await BearerClientAsync(admin);
        var browser = Browser();
        Assert.Equal("/", (await SignInAsync(browser, null)).Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        // A real failure deep in the app: every study query now fails.
        await using (var connection = await _app.Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("ALTER TABLE studies RENAME TO studies_gone");

        var apiAnswer = await api.GetAsync("/api/studies/1/assignments");
        var pageAnswer = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.InternalServerError, apiAnswer.StatusCode);
        Assert.Equal("application/problem+json", apiAnswer.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await apiAnswer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.InternalServerError, pageAnswer.StatusCode);
        var page = await pageAnswer.Content.ReadAsStringAsync();
        Assert.Contains("Something went wrong", page);
        foreach (var body in new[] { problem.ToString(), page })
        {
            Assert.DoesNotContain("SqliteException", body);
            Assert.DoesNotContain("studies", body.Replace("/studies", ""));
            Assert.DoesNotContain(" at GradeBench.", body);
        }
    }

    [Theory]
    [InlineData("\t")]
    [InlineData("/\t/example.com")]
    [InlineData("/\n/example.com")]
    [InlineData("/\u007f")]
    public async Task AReturnAddressWithControlCharactersCountsAsAbsent(string returnUrl)
    {
        await AdministratorWithPasswordAsync();

        var answer = await SignInAsync(Browser(), returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("/", answer.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task NoAnswerNamesTheServerAndApiAnswersAndExportsAreNeverStored()
    {
        var api = await BearerClientAsync(await AdministratorWithPasswordAsync());

        var answers = new Dictionary<string, HttpResponseMessage>
        {
            ["/signin"] = await Browser().GetAsync("/signin"),
            ["/css/app.css"] = await Browser().GetAsync("/css/app.css"),
            ["/api/studies/1/assignments"] = await api.GetAsync("/api/studies/1/assignments"),
            ["/api/studies/1/export/ratings.csv"] = await api.GetAsync("/api/studies/1/export/ratings.csv"),
            ["anonymous /api/studies/1/assignments"] = await Browser().GetAsync("/api/studies/1/assignments"),
        };

        Assert.All(answers, a => Assert.False(a.Value.Headers.Contains("Server"), a.Key));
        foreach (var path in new[] { "/signin", "/api/studies/1/assignments", "/api/studies/1/export/ratings.csv", "anonymous /api/studies/1/assignments" })
            Assert.True(answers[path].Headers.CacheControl?.NoStore, path);
        Assert.Equal(HttpStatusCode.OK, answers["/api/studies/1/export/ratings.csv"].StatusCode);
        var refused = answers["anonymous /api/studies/1/assignments"];
        Assert.Equal((HttpStatusCode.Unauthorized, "application/problem+json"), (refused.StatusCode, refused.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public void TheReadmesDotnetRunStartsTheProductionEnvironment()
    {
        var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "src", "GradeBench.Web", "Properties", "launchSettings.json")));
        // `dotnet run` without --launch-profile takes the first profile whose command is "Project".
        var first = settings.RootElement.GetProperty("profiles").EnumerateObject()
            .First(p => p.Value.GetProperty("commandName").GetString() == "Project").Value;

        var environment = first.TryGetProperty("environmentVariables", out var variables) && variables.TryGetProperty("ASPNETCORE_ENVIRONMENT", out var name)
            ? name.GetString() : "Production";
        Assert.Equal("Production", environment);
        Assert.Contains(settings.RootElement.GetProperty("profiles").EnumerateObject(),
            p => p.Value.TryGetProperty("environmentVariables", out var v) && v.TryGetProperty("ASPNETCORE_ENVIRONMENT", out var e) && e.GetString() == "Development");
    }
}
