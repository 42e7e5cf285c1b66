using System.IO.Compression;
using System.Net;
using System.Security.Claims;
using Bunit;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Studies;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Studies;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Studies;

public sealed class StudySetupPagesTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task ARaterIsRefusedTheSetUpPageAndCannotCreateAStudy()
    {
        var studyId = await factory.ImportDemoCopyAsync();
        var client = await factory.SignedInMemberAsync(studyId, "dr-setup-rater");

        var setup = await client.GetStringAsync($"/studies/{studyId}/setup");
        var create = await client.GetStringAsync("/studies/new");
        var home = await client.GetStringAsync("/");

        Assert.Contains("Only the coordinators of this study can change its set-up.", setup);
        Assert.DoesNotContain("From rater", setup);
        Assert.Contains("Only administrators and study coordinators can create studies.", create);
        Assert.DoesNotContain("Study bundle", create);
        Assert.DoesNotContain("New study", home);
    }

    [Fact]
    public async Task TheAdministratorIsOfferedANewStudy()
    {
        Assert.Contains("href=\"/studies/new\"", await factory.PageAsAdministratorAsync("/"));
    }

    sealed class UploadContext : BunitContext
    {
        public UploadContext(IServiceProvider app, long userId, bool administrator = true)
        {
            Services.AddMudServices();
            Services.AddLocalization();
            JSInterop.Mode = JSRuntimeMode.Loose;
            foreach (var type in new[] { typeof(StudyQuery), typeof(StudyImporter), typeof(MarkdownRenderer) })
                Services.AddSingleton(type, app.GetRequiredService(type));
            var auth = AddAuthorization();
            auth.SetAuthorized("admin");
            if (administrator) auth.SetRoles(GradeBench.Web.Features.Accounts.CurrentUser.AdministratorRole);
            auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString()));
            SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        }
    }

    static byte[] DemoZip(string slug, bool plantError, string firstPilotRater = "rater-1")
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var file in Directory.GetFiles(TestPaths.DemoBundle))
            {
                var text = File.ReadAllText(file).Replace("\"id\": \"stroke-llm-synthetic-demo\"", $"\"id\": \"{slug}\"", StringComparison.Ordinal);
                if (plantError && file.EndsWith("responses.jsonl", StringComparison.Ordinal))
                    text = text.Replace("\"case_id\": \"case-020\"", "\"case_id\": \"case-404\"", StringComparison.Ordinal);
                if (file.EndsWith("ratings.csv", StringComparison.Ordinal)) text = text.Replace(",rater-1,", $",{firstPilotRater},", StringComparison.Ordinal);
                using var writer = new StreamWriter(zip.CreateEntry(Path.GetFileName(file)).Open());
                writer.Write(text);
            }
        return buffer.ToArray();
    }

    [Fact]
    public async Task AnUploadWithErrorsListsThemAndAFixedOneOpensTheNewStudysDashboard()
    {
        var admin = await factory.AdministratorAsync();
        using var context = new UploadContext(factory.Services, admin.Id);
        var cut = context.Render<NewStudyPage>();
        var slug = "upload-" + Guid.NewGuid().ToString("N");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(DemoZip(slug, plantError: true), "broken.zip"));

        cut.WaitForAssertion(() => Assert.Equal(
            ["responses.jsonl:58: case_id: unknown case \"case-404\"", "responses.jsonl:59: case_id: unknown case \"case-404\"", "responses.jsonl:60: case_id: unknown case \"case-404\""],
            cut.FindAll("[aria-label='Import errors'] li").Select(li => li.TextContent)), TimeSpan.FromSeconds(10));
        Assert.Null(await factory.Services.GetRequiredService<StudyQuery>().FindIdAsync(slug));

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(DemoZip(slug, plantError: false), "fixed.zip"));

        var navigation = context.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith("/dashboard", navigation.Uri), TimeSpan.FromSeconds(10));
        var studyId = await factory.Services.GetRequiredService<StudyQuery>().FindIdAsync(slug);
        Assert.Equal($"http://localhost/studies/{studyId}/dashboard", navigation.Uri);
        Assert.Equal("coordinator", (await factory.Services.GetRequiredService<StudyQuery>().MembershipAsync(studyId!.Value, admin.Id))!.Role);
    }

    /// <summary>A bundle's pilot ratings once went to any account of the rater's user name: naming the administrator made
    /// them a rater of the new study, without its dashboard or exports.</summary>
    [Fact]
    public async Task ACoordinatorsUploadWhosePilotRatingsNameTheAdministratorLeavesThemTheDashboardAndExports()
    {
        var uploader = await factory.MemberAsync(await factory.DemoStudyIdAsync(), "uploader", "coordinator");
        var admin = await factory.SignedInAdministratorAsync();
        using var context = new UploadContext(factory.Services, uploader.Id, administrator: false);
        var cut = context.Render<NewStudyPage>();
        var slug = "named-" + Guid.NewGuid().ToString("N");

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(DemoZip(slug, plantError: false, firstPilotRater: "admin"), "named.zip"));

        var navigation = context.Services.GetRequiredService<NavigationManager>();
        cut.WaitForAssertion(() => Assert.EndsWith("/dashboard", navigation.Uri), TimeSpan.FromSeconds(10));
        var studies = factory.Services.GetRequiredService<StudyQuery>();
        var studyId = (await studies.FindIdAsync(slug))!.Value;
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/studies/{studyId}/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/studies/{studyId}/export/ratings.csv")).StatusCode);
        Assert.Null(await studies.MembershipAsync(studyId, (await factory.AdministratorAsync()).Id));
        var pilot = (await factory.Services.GetRequiredService<UserStore>().FindByUsernameAsync($"{slug}/admin"))!;
        Assert.Equal(("admin", null, false), (pilot.DisplayName, pilot.PasswordHash, pilot.IsAdmin));
        Assert.Equal("rater", (await studies.MembershipAsync(studyId, pilot.Id))!.Role);
    }
}
