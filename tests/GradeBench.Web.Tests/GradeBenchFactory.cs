using System.Net;
using System.Text.RegularExpressions;
using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests;

/// <summary>The real app over a database file of its own, with the demo study imported on start.</summary>
public sealed partial class GradeBenchFactory : WebApplicationFactory<Program>
{
    readonly string _folder;
    readonly bool _ownsFolder;

    public GradeBenchFactory() : this(Directory.CreateTempSubdirectory("gradebench-web-").FullName, ownsFolder: true) { }

    GradeBenchFactory(string folder, bool ownsFolder) => (_folder, _ownsFolder) = (folder, ownsFolder);

    /// <summary>A second start of the app on this one's database: a restart, or, while this one runs, a second node. The
    /// first owns the files.</summary>
    public GradeBenchFactory Restart(IReadOnlyDictionary<string, string>? settings = null) => new(_folder, ownsFolder: false) { Settings = settings ?? new Dictionary<string, string>() };

    /// <summary>Another node of this installation: the same database (and keys) and Redis, at the same time.</summary>
    public GradeBenchFactory SecondNode() => new(_folder, ownsFolder: false) { Redis = Redis };

    public string DatabasePath => Path.Combine(_folder, "web.db");

    /// <summary><c>GradeBench:Redis</c>: null for a single node.</summary>
    public string? Redis { get; init; }

    /// <summary>Sign-in attempts per minute; tests of other things sign in far more often than a person would.</summary>
    public int SignInAttemptsPerMinute { get; init; } = 10_000;

    /// <summary>The interface languages offered (<c>GradeBench:Languages</c>); null: the app's default.</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>More settings, by name (<c>GradeBench:…</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("GradeBench:Database", DatabasePath);
        if (Redis is not null) builder.UseSetting(global::GradeBench.Web.Features.Live.RedisLink.Setting, Redis);
        const string languages = global::GradeBench.Web.Hosting.Languages.Setting;
        for (var i = 0; i < (Languages?.Count ?? 0); i++) builder.UseSetting($"{languages}:{i}", Languages![i]);
        builder.UseSetting(global::GradeBench.Web.Features.Accounts.AccountServices.SignInAttemptsPerMinuteSetting, SignInAttemptsPerMinute.ToString());
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>A client that does not follow redirects, to the in-memory server or, after <c>UseKestrel</c>, the real one.</summary>
    public HttpClient CreateBrowserClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });

    /// <summary>Gives the first-run administrator a password, through the app's own store and hasher.</summary>
    public async Task<User> SetAdministratorPasswordAsync(string password)
    {
        var users = Services.GetRequiredService<UserStore>();
        var hasher = Services.GetRequiredService<IPasswordHasher<User>>();
        var admin = await AdministratorAsync();
        await users.SetPasswordHashAsync(admin.Id, hasher.HashPassword(admin, password));
        return admin;
    }

    /// <summary>The administrator the app creates on first run, whether or not they have a password yet.</summary>
    public async Task<User> AdministratorAsync()
    {
        var users = Services.GetRequiredService<UserStore>();
        return await users.FindByUsernameAsync(UserStore.AdministratorName) ?? (await users.AdministratorWithoutPasswordAsync())!;
    }

    public async Task<long> DemoStudyIdAsync() =>
        (await Services.GetRequiredService<StudyQuery>().FindIdAsync(TestPaths.DemoStudyId))!.Value;

    /// <summary>A copy of the demo study under an id of its own: open, blinded, with the pilot raters and ratings. Tests
    /// that share this app each take one, so that no count depends on what another test did.</summary>
    public async Task<long> ImportDemoCopyAsync() => (await ImportNamedDemoCopyAsync()).Id;

    /// <summary>As <see cref="ImportDemoCopyAsync"/>, also giving the copy's study id (the slug file names carry).</summary>
    public async Task<(long Id, string Slug)> ImportNamedDemoCopyAsync()
    {
        var bundle = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var slug = "demo-" + Guid.NewGuid().ToString("N");
        var copy = bundle with { Study = bundle.Study with { Id = slug } };
        return ((await Services.GetRequiredService<StudyImporter>().ImportAsync(copy, [])).StudyId!.Value, slug);
    }

    /// <summary>A copy of <see cref="DemoAnnotation"/>'s note-only study under an id of its own, open, without raters.</summary>
    public async Task<long> ImportAnnotationCopyAsync()
    {
        using var folder = new TempFolder();
        var bundle = BundleReader.Read(DemoAnnotation.Write(folder.Path)).Bundle!;
        var copy = bundle with { Study = bundle.Study with { Id = "notes-" + Guid.NewGuid().ToString("N") } };
        return (await Services.GetRequiredService<StudyImporter>().ImportAsync(copy, [])).StudyId!.Value;
    }

    /// <summary><paramref name="name"/> made unique, within the 24 characters a user name may have.</summary>
    public static string UniqueName(string name) => $"{name}-{Guid.NewGuid():N}"[..24];

    /// <summary>A new account under a name no other test uses, a member of the study in the role given (of none
    /// without a study); with <see cref="MemberPassword"/> only when asked, since hashing one takes a noticeable moment.</summary>
    public async Task<User> MemberAsync(long? studyId, string name, string role = "rater", bool withPassword = false)
    {
        var users = Services.GetRequiredService<UserStore>();
        var user = (await users.CreateAsync(UniqueName(name), "Dr " + name, isAdmin: false))!;
        if (withPassword) await users.SetPasswordHashAsync(user.Id, Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, MemberPassword));
        if (studyId is { } id) await users.AddMembershipAsync(id, user.Id, role);
        return user;
    }

    /// <summary>A browser-like client signed in as a user made by <see cref="MemberAsync"/> with a password.</summary>
    public async Task<HttpClient> SignedInClientAsync(User user)
    {
        var client = CreateBrowserClient();
        await Features.Accounts.SignInTests.PostSignInAsync(client, user.Username, MemberPassword);
        return client;
    }

    /// <summary>A new member of the study in <paramref name="role"/> (see <see cref="MemberAsync"/>), signed in with a
    /// browser-like client.</summary>
    public async Task<HttpClient> SignedInMemberAsync(long studyId, string name, string role = "rater") =>
        await SignedInClientAsync(await MemberAsync(studyId, name, role, withPassword: true));

    public const string MemberPassword = "a long password";

    /// <summary>The page at <paramref name="path"/> as served to a new member of the study in <paramref name="role"/>.</summary>
    public async Task<string> PageAsMemberAsync(long studyId, string name, string path, string role = "rater") =>
        await (await SignedInMemberAsync(studyId, name, role)).GetStringAsync(path);

    /// <summary>The page at <paramref name="path"/> as served to the first-run administrator.</summary>
    public async Task<string> PageAsAdministratorAsync(string path) =>
        await (await SignedInAdministratorAsync()).GetStringAsync(path);

    /// <summary>The first-run administrator, given a password and signed in with a browser-like client.</summary>
    public async Task<HttpClient> SignedInAdministratorAsync()
    {
        await SetAdministratorPasswordAsync(AdministratorPassword);
        var client = CreateBrowserClient();
        await Features.Accounts.SignInTests.PostSignInAsync(client, "admin", AdministratorPassword);
        return client;
    }

    public const string AdministratorPassword = "correct horse battery";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    internal static partial Regex AntiforgeryField();

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return AntiforgeryField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {page}");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (_ownsFolder)
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
