using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Export;
using GradeBench.Web.Features.Live;
using GradeBench.Web.Tests.Features.Live;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Security;

/// <summary>Every endpoint of the app's route table and every method of <see cref="StudyHub"/>, each with the outcome
/// expected for five callers: anonymous, the administrator, a coordinator of the study, a rater of the study, and a
/// rater of another study. The list of endpoints and hub methods comes from the running app, so an endpoint or hub method
/// without a rule here fails <see cref="EveryEndpointAndHubMethodHasARuleAndEveryRuleAnEndpoint"/>.
/// HTTP outcomes are status codes; pages answer 200 to everyone signed in and show a refusal instead of data, so theirs
/// are "allowed" or "refused" (a warning alert in place of the page). Hub outcomes are "allowed" (the call returned, or
/// was refused for a reason of the domain, such as a bogus item) or "refused" (not a member, not a coordinator).</summary>
public sealed class AuthorizationMatrixTests(LiveServer server) : IClassFixture<LiveServer>
{
    public enum Caller { Anonymous, Administrator, Coordinator, Rater, Outsider }

    static readonly Caller[] Callers = Enum.GetValues<Caller>();

    /// <summary>One rule: a request, and the outcome per caller in the order of <see cref="Caller"/>.</summary>
    sealed record HttpRule(string Method, string Pattern, Func<World, string> Path, string[] Expected, bool Page = false, Func<World, HttpContent?>? Body = null,
        Func<World, string>? Marker = null);

    sealed record HubRule(string Method, Func<World, object?[]> Arguments, string[] Expected);

    /// <summary>The study the callers belong to (or not), and ids that exist in it. <see cref="Response"/>: the handle of a
    /// response assigned to the rater (raters' addresses carry handles). <see cref="PairStudyId"/>: a side-by-side study
    /// where the callers hold the same roles, <see cref="Pair"/> the handle of a pair assigned to the rater there.</summary>
    sealed record World(long StudyId, long ResponseId, string Response, IReadOnlyDictionary<Caller, User?> Users, long PairStudyId, string Pair);

    static string[] Outcomes(string anonymous, string administrator, string coordinator, string rater, string outsider) =>
        [anonymous, administrator, coordinator, rater, outsider];

    static string[] All(string outcome) => Outcomes(outcome, outcome, outcome, outcome, outcome);

    const string Allowed = "allowed", Refused = "refused", SignIn = "302 /signin";

    /// <summary>A coordinator page. Administrators are coordinators of every study (StudyQuery.AccessAsync).</summary>
    static readonly string[] CoordinatorPage = Outcomes(SignIn, Allowed, Allowed, Refused, Refused);

    /// <summary>A page for every member of the study (administrators included).</summary>
    static readonly string[] MemberPage = Outcomes(SignIn, Allowed, Allowed, Allowed, Refused);

    /// <summary>A hub method for members (administrators included) and one for coordinators (and administrators).</summary>
    static readonly string[] MemberHub = Outcomes(Refused, Allowed, Allowed, Allowed, Refused), CoordinatorHub = Outcomes(Refused, Allowed, Allowed, Refused, Refused);

    static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    static readonly IReadOnlyList<HttpRule> HttpRules =
    [
        // Infrastructure: public by design.
        new("*", "/healthz", _ => "/healthz", All("200")),
        new("GET", "/openapi/{documentName}.json", _ => "/openapi/v1.json", All("200")),

        // Accounts. Form posts carry an antiforgery token fetched from /signin by the same caller.
        new("POST", "/account/signin", _ => "/account/signin", All("302 /signin?error=1&returnUrl=%2F"),
            Body: _ => Form(("username", "nobody"), ("password", "wrong password"))),
        new("GET", "/account/link", _ => "/account/link?token=bogus", All("302 /signin?error=link")),
        // Without the current password, whoever holds the cookie changes nothing (issue 16).
        new("POST", "/account/password", _ => "/account/password", Outcomes(SignIn, "302 /account/password?error=current",
                "302 /account/password?error=current", "302 /account/password?error=current", "302 /account/password?error=current"),
            Body: _ => Form(("password", "short"), ("confirmation", "short"))),
        new("POST", "/account/invite", _ => "/account/invite", All("302 /invite/bogus-invite?error=short"),
            Body: _ => Form(("token", "bogus-invite"), ("username", "newcomer"), ("displayName", "Dr New"), ("password", "short"), ("confirmation", "short"))),
        new("POST", "/account/invite/join", _ => "/account/invite/join", Outcomes(SignIn, "302 /invite/bogus-invite", "302 /invite/bogus-invite",
                "302 /invite/bogus-invite", "302 /invite/bogus-invite"), Body: _ => Form(("token", "bogus-invite"))),
        new("POST", "/account/invite/signin", _ => "/account/invite/signin", All("302 /invite/bogus-invite?account=existing&error=1"),
            Body: _ => Form(("token", "bogus-invite"), ("username", "nobody-invited"), ("password", "wrong password"))),
        new("POST", "/account/set-password", _ => "/account/set-password", All("302 /account/set-password/bogus-link?error=short"),
            Body: _ => Form(("token", "bogus-link"), ("password", "short"), ("confirmation", "short"))),
        // The language switch: anyone, on every page including sign-in (issue 18).
        new("POST", "/language", _ => "/language", All("302 /signin"), Body: _ => Form(("culture", "en"), ("returnUrl", "/signin"))),
        new("POST", "/account/signout", _ => "/account/signout", Outcomes(SignIn, "302 /signin", "302 /signin", "302 /signin", "302 /signin"),
            Body: _ => Form()),

        // The API: raters grade their own assignments; coordinators and administrators export.
        new("GET", "/api/studies/{id:long}/assignments", w => $"/api/studies/{w.StudyId}/assignments", Outcomes("401", "403", "403", "200", "403")),
        new("PUT", "/api/studies/{id:long}/responses/{response}/rating", w => $"/api/studies/{w.StudyId}/responses/{w.Response}/rating",
            Outcomes("401", "403", "403", "200", "403"), Body: _ => new StringContent(DemoRatings.Json(), Encoding.UTF8, "application/json")),
        new("GET", "/api/studies/{id:long}/export/{kind}", w => $"/api/studies/{w.StudyId}/export/{ExportEndpoints.Kinds[0].Name}", Outcomes("401", "200", "200", "403", "403")),
        // Side-by-side studies: the callers hold the same roles in the world's study of pairs, and the pair is the rater's.
        new("GET", "/api/studies/{id:long}/pairs", w => $"/api/studies/{w.PairStudyId}/pairs", Outcomes("401", "403", "403", "200", "403")),
        new("PUT", "/api/studies/{id:long}/pairs/{pair}/vote", w => $"/api/studies/{w.PairStudyId}/pairs/{w.Pair}/vote",
            Outcomes("401", "403", "403", "200", "403"), Body: _ => new StringContent("""{"votes": {"consensus": "left", "harm": "tie"}}""", Encoding.UTF8, "application/json")),

        // The hub's HTTP face; its methods are the hub rules below.
        new("*", "/hubs/study/negotiate", _ => "/hubs/study/negotiate?negotiateVersion=1", Outcomes("401", "200", "200", "200", "200"), Body: _ => new StringContent("")),
        new("*", "/hubs/study", _ => "/hubs/study", Outcomes("401", "400", "400", "400", "400")),

        // Blazor's own endpoints: the circuit hub and the framework's files.
        // Blazor's own endpoints: the circuit hub (signed-in callers only, by the fallback policy; what a circuit may
        // see is each page's own check, as above) and the framework's public files.
        new("*", "/_blazor", _ => "/_blazor", Outcomes(SignIn, "400", "400", "400", "400")),
        new("*", "/_blazor/negotiate", _ => "/_blazor/negotiate?negotiateVersion=1", Outcomes(SignIn, "200", "200", "200", "200"), Body: _ => new StringContent("")),
        new("*", "/_blazor/disconnect/", _ => "/_blazor/disconnect/", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => new StringContent("")),
        new("*", "/_blazor/initializers/", _ => "/_blazor/initializers/", Outcomes(SignIn, "200", "200", "200", "200")),
        new("GET", "/_framework/opaque-redirect", _ => "/_framework/opaque-redirect", Outcomes(SignIn, "400", "400", "400", "400")),
        new("GET", "/{**path:file}", _ => "/_framework/blazor.web.js", All("200")),
        new("HEAD", "/{**path:file}", _ => "/_framework/blazor.web.js", All("200")),

        // Pages. GET renders on the server: "refused" is a warning in place of the page. POST is the form handling of
        // static server rendering; no page has such a form, so a signed-in POST gets Blazor's 400 (no form named).
        // The home page lists the caller's studies: "allowed" here means the study is among them.
        new("GET", "/", _ => "/", Outcomes(SignIn, Allowed, Allowed, Allowed, Refused), Page: true, Marker: w => $"/studies/{w.StudyId}/"),
        new("POST", "/", _ => "/", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/Error", _ => "/Error", All(Allowed), Page: true),
        new("POST", "/Error", _ => "/Error", All("400"), Body: _ => Form()),
        new("GET", "/not-found", _ => "/not-found", All(Allowed), Page: true),
        new("POST", "/not-found", _ => "/not-found", All("400"), Body: _ => Form()),
        new("GET", "/signin", _ => "/signin", All(Allowed), Page: true),
        new("POST", "/signin", _ => "/signin", All("400"), Body: _ => Form()),
        new("GET", "/invite/{Token}", _ => "/invite/bogus-invite", All(Allowed), Page: true),
        new("POST", "/invite/{Token}", _ => "/invite/bogus-invite", All("400"), Body: _ => Form()),
        new("GET", "/account/password", _ => "/account/password", Outcomes(SignIn, Allowed, Allowed, Allowed, Allowed), Page: true),
        new("GET", "/account/set-password/{Token}", _ => "/account/set-password/bogus-link", All(Allowed), Page: true),
        new("POST", "/account/set-password/{Token}", _ => "/account/set-password/bogus-link", All("400"), Body: _ => Form()),
        // Administrators only, read from the database (not the cookie's role claim) so that a disabled administrator's open page cannot act.
        new("GET", "/accounts", _ => "/accounts", Outcomes(SignIn, Allowed, Refused, Refused, Refused), Page: true),
        new("POST", "/accounts", _ => "/accounts", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/new", _ => "/studies/new", Outcomes(SignIn, Allowed, Allowed, Refused, Refused), Page: true),
        new("POST", "/studies/new", _ => "/studies/new", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/setup", w => $"/studies/{w.StudyId}/setup", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/setup", w => $"/studies/{w.StudyId}/setup", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/dashboard", w => $"/studies/{w.StudyId}/dashboard", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/dashboard", w => $"/studies/{w.StudyId}/dashboard", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/results", w => $"/studies/{w.StudyId}/results", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/results", w => $"/studies/{w.StudyId}/results", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/calibration", w => $"/studies/{w.StudyId}/calibration", MemberPage, Page: true),
        new("POST", "/studies/{StudyId:long}/calibration", w => $"/studies/{w.StudyId}/calibration", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/adjudication", w => $"/studies/{w.StudyId}/adjudication", MemberPage, Page: true),
        new("POST", "/studies/{StudyId:long}/adjudication", w => $"/studies/{w.StudyId}/adjudication", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        // A bogus item: the item-level rules (a rater sees only items of responses they rated) are AdjudicationPageTests'.
        new("GET", "/studies/{StudyId:long}/adjudication/{Response}", w => $"/studies/{w.StudyId}/adjudication/{w.Response}", Outcomes(SignIn, Refused, Refused, Refused, Refused), Page: true),
        new("POST", "/studies/{StudyId:long}/adjudication/{Response}", w => $"/studies/{w.StudyId}/adjudication/{w.Response}", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        // A side-by-side pair's item: the study has no pairs, so its handle names none and every member is told so.
        new("GET", "/studies/{StudyId:long}/adjudication/pairs/{Pair}", w => $"/studies/{w.StudyId}/adjudication/pairs/{w.Response}", Outcomes(SignIn, Refused, Refused, Refused, Refused), Page: true),
        new("POST", "/studies/{StudyId:long}/adjudication/pairs/{Pair}", w => $"/studies/{w.StudyId}/adjudication/pairs/{w.Response}", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        // Span adjudication of the clinical notes: coordinators only, in any state (decisions only in adjudication, which the store checks).
        new("GET", "/studies/{StudyId:long}/adjudicate/notes", w => $"/studies/{w.StudyId}/adjudicate/notes", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/adjudicate/notes", w => $"/studies/{w.StudyId}/adjudicate/notes", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/adjudicate/notes/{Case}", w => $"/studies/{w.StudyId}/adjudicate/notes/case-001", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/adjudicate/notes/{Case}", w => $"/studies/{w.StudyId}/adjudicate/notes/case-001", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        // The read-only item view flags and alerts open, and the full lists of both: coordinators only, in any state.
        new("GET", "/studies/{StudyId:long}/review/{ResponseId:long}", w => $"/studies/{w.StudyId}/review/{w.ResponseId}", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/review/{ResponseId:long}", w => $"/studies/{w.StudyId}/review/{w.ResponseId}", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/flags", w => $"/studies/{w.StudyId}/flags", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/flags", w => $"/studies/{w.StudyId}/flags", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/downloads", w => $"/studies/{w.StudyId}/downloads", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/downloads", w => $"/studies/{w.StudyId}/downloads", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/alerts", w => $"/studies/{w.StudyId}/alerts", CoordinatorPage, Page: true),
        new("POST", "/studies/{StudyId:long}/alerts", w => $"/studies/{w.StudyId}/alerts", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/grade", w => $"/studies/{w.StudyId}/grade", Outcomes(SignIn, Refused, Refused, Allowed, Refused), Page: true),
        new("POST", "/studies/{StudyId:long}/grade", w => $"/studies/{w.StudyId}/grade", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/grade/{Response}", w => $"/studies/{w.StudyId}/grade/{w.Response}", Outcomes(SignIn, Refused, Refused, Allowed, Refused), Page: true),
        new("POST", "/studies/{StudyId:long}/grade/{Response}", w => $"/studies/{w.StudyId}/grade/{w.Response}", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        // The side-by-side page: only a rater's. The study here has no pairs: a response's handle names none.
        new("GET", "/studies/{StudyId:long}/compare", w => $"/studies/{w.StudyId}/compare", Outcomes(SignIn, Refused, Refused, Allowed, Refused), Page: true),
        new("POST", "/studies/{StudyId:long}/compare", w => $"/studies/{w.StudyId}/compare", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
        new("GET", "/studies/{StudyId:long}/compare/{Pair}", w => $"/studies/{w.StudyId}/compare/{w.Response}", Outcomes(SignIn, Refused, Refused, Refused, Refused), Page: true),
        new("POST", "/studies/{StudyId:long}/compare/{Pair}", w => $"/studies/{w.StudyId}/compare/{w.Response}", Outcomes(SignIn, "400", "400", "400", "400"), Body: _ => Form()),
    ];

    static readonly IReadOnlyList<HubRule> HubRules =
    [
        new(nameof(StudyHub.JoinStudy), w => [w.StudyId], MemberHub),
        // No check, none needed: it only takes the caller's own connection out of groups and presence.
        new(nameof(StudyHub.LeaveStudy), w => [w.StudyId], Outcomes(Refused, Allowed, Allowed, Allowed, Allowed)),
        new(nameof(StudyHub.OpenItem), w => [w.StudyId, null], MemberHub),
        new(nameof(StudyHub.GetPresence), w => [w.StudyId], CoordinatorHub),
        new(nameof(StudyHub.GetAgreement), w => [w.StudyId], CoordinatorHub),
        // "open" while open: a coordinator gets the domain's refusal, which still means authorization let them through.
        new(nameof(StudyHub.SetStudyState), w => [w.StudyId, "open"], CoordinatorHub),
        new(nameof(StudyHub.SetPaused), w => [w.StudyId, false], CoordinatorHub),
        // A wrong id typed: a coordinator gets "type its id", which still means authorization let them through.
        new(nameof(StudyHub.CloseStudy), w => [w.StudyId, "not-its-id"], CoordinatorHub),
        // A bogus item: members get "no such item" from the store, strangers "not a member" before it is looked up.
        new(nameof(StudyHub.PostAdjudicationMessage), w => [w.StudyId, w.Response, "hello"], MemberHub),
        new(nameof(StudyHub.PostPairAdjudicationMessage), w => [w.StudyId, w.Response, "hello"], MemberHub),
        // Raters only: coordinators and administrators get "Only a rater of this study can submit a calibration rating."
        new(nameof(StudyHub.SubmitCalibration), w => [w.StudyId, 999999L, new Dictionary<string, string?>()], Outcomes(Refused, Refused, Refused, Allowed, Refused)),
        new(nameof(StudyHub.RevealCalibration), w => [w.StudyId], CoordinatorHub),
    ];

    static string Key(string method, string pattern) => $"{method} {pattern}";

    /// <summary>The app's route table, as "METHOD pattern", without the static assets (public files by design).</summary>
    IReadOnlyList<string> RouteTable()
    {
        var source = server.Services.GetRequiredService<EndpointDataSource>();
        return source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => Key(m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct().Order().ToList();
    }

    static IReadOnlyList<string> HubMethods() =>
        typeof(StudyHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(StudyHub))
            .Select(m => m.Name).Distinct().Order().ToList();

    [Fact]
    public void EveryEndpointAndHubMethodHasARuleAndEveryRuleAnEndpoint()
    {
        var routes = RouteTable();
        var ruled = HttpRules.Select(r => Key(r.Method, r.Pattern)).ToHashSet();
        var hubMethods = HubMethods();
        var hubRuled = HubRules.Select(r => r.Method).ToHashSet();
        var problems = routes.Where(r => !ruled.Contains(r)).Select(r => "no rule for endpoint " + r)
            .Concat(ruled.Where(r => !routes.Contains(r)).Select(r => "rule for a missing endpoint " + r))
            .Concat(hubMethods.Where(m => !hubRuled.Contains(m)).Select(m => "no rule for hub method " + m))
            .Concat(hubRuled.Where(m => !hubMethods.Contains(m)).Select(m => "rule for a missing hub method " + m))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(HttpRules.Count, HttpRules.Select(r => Key(r.Method, r.Pattern)).Distinct().Count());
    }

    async Task<(World World, IReadOnlyDictionary<Caller, CookieContainer?> Cookies)> WorldAsync()
    {
        var studyId = await server.ImportDemoCopyAsync();
        var otherStudyId = await server.ImportDemoCopyAsync();
        var users = server.Services.GetRequiredService<UserStore>();
        var admin = await users.FindByUsernameAsync(UserStore.AdministratorName) ?? (await users.AdministratorWithoutPasswordAsync())!;
        await users.SetPasswordHashAsync(admin.Id, server.Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(admin, LiveServer.Password));
        var rater = await server.UserAsync(studyId, "rater", withPassword: true);
        var people = new Dictionary<Caller, User?>
        {
            [Caller.Anonymous] = null,
            [Caller.Administrator] = admin,
            [Caller.Coordinator] = await server.UserAsync(studyId, "coordinator", "coordinator", withPassword: true),
            [Caller.Rater] = rater,
            [Caller.Outsider] = await server.UserAsync(otherStudyId, "outsider", withPassword: true),
        };
        var cookies = new Dictionary<Caller, CookieContainer?>();
        foreach (var (caller, user) in people) cookies[caller] = user is null ? null : await server.SignInAsync(user);
        var responseId = await server.OpenAssignmentAsync(studyId, rater);
        var (pairStudyId, pair) = await PairStudyAsync(people[Caller.Coordinator]!, rater);
        return (new World(studyId, responseId, await server.Services.HandleOfAsync(responseId), people, pairStudyId, pair), cookies);
    }

    /// <summary>The side-by-side demo study under an id of its own, with the coordinator and the rater in their roles; the
    /// handle of the rater's first pair.</summary>
    async Task<(long StudyId, string Pair)> PairStudyAsync(User coordinator, User rater)
    {
        using var folder = new TempFolder();
        var bundle = BundleReader.Read(DemoPairwise.Write(Path.Combine(folder.Path, "bundle"))).Bundle!;
        bundle = bundle with { Study = bundle.Study with { Id = "pairs-" + Guid.NewGuid().ToString("N") } };
        var studyId = (await server.Services.GetRequiredService<StudyImporter>().ImportAsync(bundle, [])).StudyId!.Value;
        var users = server.Services.GetRequiredService<UserStore>();
        await users.AddMembershipAsync(studyId, coordinator.Id, "coordinator");
        await users.AddMembershipAsync(studyId, rater.Id, "rater");
        return (studyId, (await server.Services.GetRequiredService<PairwiseStore>().QueueAsync(studyId, rater.Id))[0].Handle);
    }

    [Fact]
    public async Task EveryCallerGetsTheOutcomeOfItsRuleOverHttp()
    {
        var (world, cookies) = await WorldAsync();
        var tokens = new Dictionary<Caller, string?>();
        foreach (var caller in Callers) tokens[caller] = world.Users[caller] is { } user ? await server.TokenAsync(user) : null;

        var wrong = new List<string>();
        // Signing out ends every sign-in of the caller, copies of the cookie included (issue 16): it comes last.
        foreach (var rule in HttpRules.OrderBy(r => r.Pattern == "/account/signout"))
            foreach (var caller in Callers)
            {
                // Each request on a copy of the caller's cookies, so that signing out does not sign the caller out for good.
                var jar = new CookieContainer();
                if (cookies[caller] is { } signedIn) jar.Add(signedIn.GetAllCookies());
                using var client = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = server.Address };
                // The API is for tokens; everything else is the browser's.
                if (rule.Pattern.StartsWith("/api/") && tokens[caller] is { } token)
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var actual = await OutcomeAsync(client, rule, world);
                var expected = rule.Expected[(int)caller];
                if (actual != expected) wrong.Add($"{Key(rule.Method, rule.Pattern)} as {caller}: expected {expected}, got {actual}");
            }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    static async Task<string> OutcomeAsync(HttpClient client, HttpRule rule, World world)
    {
        var content = rule.Body?.Invoke(world);
        if (content is FormUrlEncodedContent && await AntiforgeryTokenAsync(client) is { } antiforgery)
        {
            var fields = (await content.ReadAsStringAsync()).Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Split('=')).Select(p => new KeyValuePair<string, string>(WebUtility.UrlDecode(p[0]), WebUtility.UrlDecode(p[1])))
                .Append(new("__RequestVerificationToken", antiforgery));
            content = new FormUrlEncodedContent(fields);
        }
        using var request = new HttpRequestMessage(new HttpMethod(rule.Method != "*" ? rule.Method : content is null ? "GET" : "POST"), rule.Path(world)) { Content = content };
        using var answer = await client.SendAsync(request);
        var status = (int)answer.StatusCode;
        if (answer.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found)
        {
            var location = answer.Headers.Location?.OriginalString ?? "";
            // Where a refusal sends the browser matters, not the way back it carries.
            return location.StartsWith("/signin?ReturnUrl=", StringComparison.OrdinalIgnoreCase) || location.Contains("/signin?ReturnUrl=", StringComparison.OrdinalIgnoreCase)
                ? SignIn
                : $"{status} {(location.StartsWith("http") ? new Uri(location).PathAndQuery : location)}";
        }
        if (!rule.Page || status != 200) return status.ToString();
        var html = await answer.Content.ReadAsStringAsync();
        if (rule.Marker is { } marker) return html.Contains(marker(world)) ? Allowed : Refused;
        return html.Contains("mud-alert-text-warning") ? Refused : Allowed;
    }

    static async Task<string?> AntiforgeryTokenAsync(HttpClient client)
    {
        try { return await GradeBenchFactory.AntiforgeryTokenAsync(client, "/signin"); }
        catch (InvalidOperationException) { return null; }
    }

    [Fact]
    public async Task EveryCallerGetsTheOutcomeOfItsRuleOverTheHub()
    {
        var (world, _) = await WorldAsync();

        // Anonymous: the hub refuses the connection itself, so every method is refused.
        await using (var anonymous = new HubConnectionBuilder().WithUrl(server.HubUrl).Build())
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var wrong = new List<string>();
        foreach (var caller in Callers.Where(c => c != Caller.Anonymous))
        {
            foreach (var rule in HubRules)
            {
                // A connection per call, so that one method's effects (joined groups, presence) do not lend another standing.
                await using var listener = await server.ListenerAsync(world.Users[caller]!);
                await listener.Connection.StartAsync();
                string actual;
                try
                {
                    await listener.Connection.InvokeCoreAsync(rule.Method, typeof(object), rule.Arguments(world));
                    actual = Allowed;
                }
                catch (HubException e)
                {
                    // "You are not a member of study …", "Only a coordinator of this study …", "Only a rater of this study …"
                    // are refusals of standing; anything else ("no adjudication item 999999", "values are missing", "a
                    // study that is open cannot become open") comes after authorization let the caller through.
                    actual = e.Message.Contains("not a member") || e.Message.Contains("Only a ") ? Refused : Allowed;
                }
                var expected = rule.Expected[(int)caller];
                if (actual != expected) wrong.Add($"{rule.Method} as {caller}: expected {expected}, got {actual}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The size of the matrix, for docs/reliability.md.</summary>
    [Fact]
    public void TheMatrixCoversEveryCaller() =>
        Assert.All(HttpRules.Select(r => r.Expected).Concat(HubRules.Select(r => r.Expected)), e => Assert.Equal(Callers.Length, e.Length));
}
