using System.Net;
using AngleSharp.Html.Parser;
using GradeBench.Core.Studies;
using GradeBench.Web.Features.Dashboard;
using GradeBench.Web.Features.Studies;
using GradeBench.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Dashboard;

/// <summary>The coordinator's dashboard and downloads page speak the interface's language (issue 18): served in the
/// pseudo-locale they hold no text that did not come through a localizer, and in Chinese they read as Chinese.</summary>
public sealed class DashboardLanguageTests : IDisposable
{
    readonly GradeBenchFactory _pseudo = new() { Languages = [Languages.English, Languages.Pseudo] };

    public void Dispose() => _pseudo.Dispose();

    // Parts of these pages that other features own (and translate): the layout around main, the study navigation, the
    // flags and alerts panels.
    static readonly string[] OthersParts = ["nav.study-nav", ".dashboard-alerts"];

    static IReadOnlyList<string> Unmarked(string html)
    {
        var page = new HtmlParser().ParseDocument(html);
        foreach (var part in OthersParts.SelectMany(page.QuerySelectorAll).ToList()) part.Remove();
        return PseudoLocaleText.Unmarked(page.QuerySelector("main")!.OuterHtml);
    }

    async Task<(HttpClient Client, long StudyId, long CoordinatorId)> CoordinatorAsync(GradeBenchFactory app, string language)
    {
        var studyId = await app.ImportDemoCopyAsync();
        var coordinator = await app.MemberAsync(studyId, "dr-lang-coord", StudyRoles.Coordinator, withPassword: true);
        var client = await app.SignedInClientAsync(coordinator);
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        return (client, studyId, coordinator.Id);
    }

    /// <summary>The dashboard as first served (counts maybe still "Counting…", agreement being computed), then once
    /// the counts and the agreement of the data as it is now are known.</summary>
    async Task<IReadOnlyList<string>> DashboardsAsync(HttpClient client, long studyId)
    {
        var first = await client.GetStringAsync($"/studies/{studyId}/dashboard");
        await await _pseudo.Services.GetRequiredService<DashboardCounts>().CurrentAsync(studyId);
        await _pseudo.Services.GetRequiredService<AgreementMonitor>().CurrentAsync(studyId);
        var counted = await client.GetStringAsync($"/studies/{studyId}/dashboard");
        Assert.Contains("class=\"dashboard-note\"", counted);
        return [first, counted];
    }

    [Fact]
    public async Task TheDashboardOfAnOpenStudyHasNoUnmarkedText()
    {
        var (client, studyId, _) = await CoordinatorAsync(_pseudo, Languages.Pseudo);

        foreach (var html in await DashboardsAsync(client, studyId)) Assert.Empty(Unmarked(html));
    }

    [Theory]
    [InlineData(true, StudyState.Open)]
    [InlineData(false, StudyState.Adjudication)]
    public async Task TheDashboardOfAPausedStudyOrOneInAdjudicationHasNoUnmarkedText(bool paused, StudyState state)
    {
        var (client, studyId, coordinator) = await CoordinatorAsync(_pseudo, Languages.Pseudo);
        var recorder = _pseudo.Services.GetRequiredService<StudyRecorder>();
        var changed = paused ? await recorder.SetPausedAsync(studyId, coordinator, true) : await recorder.ChangeStateAsync(studyId, coordinator, state);
        Assert.Null(changed.Refusal);

        foreach (var html in await DashboardsAsync(client, studyId)) Assert.Empty(Unmarked(html));
    }

    [Fact]
    public async Task TheDownloadsPageHasNoUnmarkedText()
    {
        var (client, studyId, _) = await CoordinatorAsync(_pseudo, Languages.Pseudo);

        var html = await client.GetStringAsync($"/studies/{studyId}/downloads");

        Assert.Contains("download-card", html);
        Assert.Empty(Unmarked(html));
    }

    [Fact]
    public async Task TheDashboardAndDownloadsReadInChinese()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var (client, studyId, _) = await CoordinatorAsync(bilingual, Languages.Chinese);

        // The server writes Chinese as character references.
        var dashboard = WebUtility.HtmlDecode(await client.GetStringAsync($"/studies/{studyId}/dashboard"));
        var downloads = WebUtility.HtmlDecode(await client.GetStringAsync($"/studies/{studyId}/downloads"));

        Assert.Contains("aria-label=\"各评分者进度\"", dashboard);
        Assert.Contains(">各评分条目的一致性<", dashboard);
        Assert.Contains("下载 ratings.csv（适用于 Excel）", downloads);
    }

    /// <summary>Activity read back from the database (a change made before the page loaded) is put into words by the
    /// page, in its language, like the entries it writes from events.</summary>
    [Fact]
    public async Task EarlierActivityReadsInChinese()
    {
        using var bilingual = new GradeBenchFactory { Languages = [Languages.English, Languages.Chinese] };
        var (client, studyId, coordinator) = await CoordinatorAsync(bilingual, Languages.Chinese);
        Assert.Null((await bilingual.Services.GetRequiredService<StudyRecorder>().SetPausedAsync(studyId, coordinator, true)).Refusal);

        var feed = new HtmlParser().ParseDocument(await client.GetStringAsync($"/studies/{studyId}/dashboard")).QuerySelector(".activity-feed")!;

        Assert.Contains("Dr dr-lang-coord 暂停了研究", feed.TextContent);
        Assert.Null(feed.QuerySelector("[lang]"));
    }
}
