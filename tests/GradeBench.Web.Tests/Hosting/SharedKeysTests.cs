using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Hosting;

/// <summary>The keys that sign cookies and antiforgery tokens live in the database: two nodes on one database accept each
/// other's, whatever folder each would have kept keys in.</summary>
public sealed class SharedKeysTests
{
    const string Password = GradeBenchFactory.AdministratorPassword;

    [Fact]
    public async Task ASignInCookieFromOneNodeIsAcceptedByAnother()
    {
        using var temp = new TempFolder();
        using var first = new GradeBenchFactory { Settings = Folder(temp, "first") };
        using var second = first.Restart(Folder(temp, "second"));
        await first.SetAdministratorPasswordAsync(Password);
        var cookie = AuthCookie(await Features.Accounts.SignInTests.PostSignInAsync(first.CreateBrowserClient(), "admin", Password));

        var home = await CookieClient(second, cookie).GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task AFormFromOneNodePostedToAnotherPassesItsAntiforgeryCheck()
    {
        using var temp = new TempFolder();
        using var first = new GradeBenchFactory { Settings = Folder(temp, "first") };
        using var second = first.Restart(Folder(temp, "second"));
        await first.SetAdministratorPasswordAsync(Password);
        var form = await first.CreateBrowserClient().GetAsync("/signin");
        var antiforgeryCookie = string.Join("; ", form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = GradeBenchFactory.AntiforgeryField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;

        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = "admin", ["password"] = Password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        var signIn = await second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }).SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheKeysAreInTheDatabaseAndNoFolderIsMade()
    {
        using var app = new GradeBenchFactory();
        await app.SetAdministratorPasswordAsync(Password);

        Assert.NotEmpty(await KeysAsync(app));
        Assert.False(Directory.Exists(app.DatabasePath + ".keys"));
    }

    /// <summary>An installation upgraded from a version that kept its keys in a folder keeps everyone signed in: the
    /// folder's keys are imported on the first start, and what they protected is still read.</summary>
    [Fact]
    public async Task TheKeysOfAnOlderVersionsFolderAreImportedOnTheFirstStart()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "old.keys");
        var older = new ServiceCollection().AddDataProtection().SetApplicationName("GradeBench").PersistKeysToFileSystem(new DirectoryInfo(folder))
            .Services.BuildServiceProvider();
        var sealedByOlder = older.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("signed in before the upgrade");
        var keyFiles = Directory.GetFiles(folder, "key-*.xml").Select(Path.GetFileNameWithoutExtension).ToList();

        using var app = new GradeBenchFactory { Settings = new Dictionary<string, string> { ["GradeBench:KeysFolder"] = folder } };
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test");

        Assert.Equal("signed in before the upgrade", protector.Unprotect(sealedByOlder));
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        Assert.Equal(keyFiles, await connection.QueryAsync<string>("SELECT name FROM data_protection_keys"));
    }

    /// <summary>With a certificate set, a key is stored encrypted (no key material readable in the table) and still works
    /// after a restart with the same certificate.</summary>
    [Fact]
    public async Task WithACertificateTheKeysAreStoredEncryptedAndStillWork()
    {
        using var temp = new TempFolder();
        var settings = new Dictionary<string, string>
        {
            ["GradeBench:KeyCertificate"] = SelfSignedPfx(temp.Path, "pfx password"),
            ["GradeBench:KeyCertificatePassword"] = "pfx password",
        };
        using var first = new GradeBenchFactory { Settings = settings };
        await first.SetAdministratorPasswordAsync(Password);
        var cookie = AuthCookie(await Features.Accounts.SignInTests.PostSignInAsync(first.CreateBrowserClient(), "admin", Password));

        var keys = await KeysAsync(first);
        using var restarted = first.Restart(settings);
        var home = await CookieClient(restarted, cookie).GetAsync("/");

        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml);
            Assert.DoesNotContain("<value>", xml);
        });
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public void AMissingCertificateStopsTheStartAndSaysWhich()
    {
        using var temp = new TempFolder();
        var missing = Path.Combine(temp.Path, "nowhere.pfx");
        using var app = new GradeBenchFactory { Settings = new Dictionary<string, string> { ["GradeBench:KeyCertificate"] = missing } };

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("GradeBench:KeyCertificate", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void ASpoiltFileInTheOldKeysFolderStopsTheStartAndSaysWhichAndImportsNothing()
    {
        using var temp = new TempFolder();
        var spoilt = Path.Combine(temp.Path, "key-spoilt.xml");
        File.WriteAllText(spoilt, "<key id=\"1\">\n<creationDate>");
        using var app = new GradeBenchFactory { Settings = new Dictionary<string, string> { ["GradeBench:KeysFolder"] = temp.Path } };

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains($"{spoilt}, line 2", error.Message);
        using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        Assert.Equal(0, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM data_protection_keys"));
    }

    static Dictionary<string, string> Folder(TempFolder temp, string name) => new() { ["GradeBench:KeysFolder"] = Path.Combine(temp.Path, name) };

    static string AuthCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("gradebench.auth=", StringComparison.Ordinal)).Split(';')[0];

    static HttpClient CookieClient(GradeBenchFactory app, string cookie)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    static async Task<List<string>> KeysAsync(GradeBenchFactory app)
    {
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        return (await connection.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
    }

    static string SelfSignedPfx(string folder, string password)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=GradeBench keys test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, "keys.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
