using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using GradeBench.Web.Hosting;
using GradeBench.Web.Tests.Features.Live;

namespace GradeBench.Web.Tests.Hosting;

/// <summary>Another site's page cannot open a live connection (hub or Blazor circuit) with the visitor's cookie: a
/// present <c>Origin</c> must be the app's own or a configured one; programs that send none keep working. Real Kestrel.</summary>
public sealed class AllowedOriginsTests(LiveServer server) : IClassFixture<LiveServer>
{
    const string Evil = "https://evil.example";

    string Own => server.Address.GetLeftPart(UriPartial.Authority);

    async Task<HttpResponseMessage> NegotiateAsync(string path, string? origin, Action<HttpRequestHeaders> signIn, HttpMessageHandler? handler = null)
    {
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, $"{path}/negotiate?negotiateVersion=1"));
        if (origin is not null) request.Headers.Add("Origin", origin);
        signIn(request.Headers);
        return await client.SendAsync(request);
    }

    async Task<HttpStatusCode> WebSocketAsync(string pathAndQuery, string? origin, CookieContainer? cookies = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        if (cookies is not null) socket.Options.Cookies = cookies;
        var url = new UriBuilder(server.Address) { Scheme = "ws", Path = pathAndQuery.Split('?')[0], Query = pathAndQuery.Split('?').ElementAtOrDefault(1) ?? "" }.Uri;
        try
        {
            await socket.ConnectAsync(url, CancellationToken.None);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
        return socket.HttpStatusCode;
    }

    [Fact]
    public async Task TheHubRefusesAnotherSitesOriginAndServesItsOwnAndProgramsWithoutOne()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var token = await server.TokenAsync(await server.UserAsync(studyId, "origin-rater"));
        Action<HttpRequestHeaders> bearer = headers => headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var statuses = new[]
        {
            (await NegotiateAsync("/hubs/study", Evil, bearer)).StatusCode,
            (await NegotiateAsync("/hubs/study", "null", bearer)).StatusCode,
            (await NegotiateAsync("/hubs/study", Own, bearer)).StatusCode,
            (await NegotiateAsync("/hubs/study", null, bearer)).StatusCode,
        };
        var sockets = new[]
        {
            await WebSocketAsync($"/hubs/study?access_token={token}", Evil),
            await WebSocketAsync($"/hubs/study?access_token={token}", Own),
            await WebSocketAsync($"/hubs/study?access_token={token}", null),
        };

        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.Equal([HttpStatusCode.Forbidden, HttpStatusCode.SwitchingProtocols, HttpStatusCode.SwitchingProtocols], sockets);
    }

    [Fact]
    public async Task TheBlazorCircuitEndpointRefusesAnotherSitesOrigin()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var cookies = await server.SignInAsync(await server.UserAsync(studyId, "origin-page", withPassword: true));
        using var handler = new HttpClientHandler { CookieContainer = cookies };

        var evil = await NegotiateAsync("/_blazor", Evil, _ => { }, handler);
        var own = await NegotiateAsync("/_blazor", Own, _ => { }, handler);
        var socket = await WebSocketAsync("/_blazor?id=unknown", Evil, cookies);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.OK, HttpStatusCode.Forbidden), (evil.StatusCode, own.StatusCode, socket));
    }

    [Fact]
    public async Task AnOriginListedInTheSettingsIsAllowed()
    {
        using var app = new GradeBenchFactory();
        using var configured = app.WithWebHostBuilder(builder => builder.UseSetting(AllowedOrigins.Setting, "https://gradebench.example.org"));
        var client = configured.CreateClient();

        async Task<HttpStatusCode> FromAsync(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
            request.Headers.Add("Origin", origin);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (await FromAsync(Evil), await FromAsync("http://gradebench.example.org")));
        Assert.NotEqual(HttpStatusCode.Forbidden, await FromAsync("https://gradebench.example.org"));
    }
}
