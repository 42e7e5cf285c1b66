using System.Security.Claims;
using Bunit;
using GradeBench.Storage.Adjudication;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Adjudication;
using GradeBench.Web.Components.Markdown;
using GradeBench.Web.Features.Grading;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace GradeBench.Web.Tests.Features.Adjudication;

/// <summary>Live, interactive behaviour of the adjudication components, rendered by bUnit over the services of a real
/// app (its database and its <see cref="StudyEvents"/>).</summary>
public abstract class LiveAdjudicationContext : BunitContext
{
    protected LiveAdjudicationContext(GradeBenchFactory factory)
    {
        Factory = factory;
        App = factory.Services;
        Scene = new AdjudicationScene(factory);
        Services.AddMudServices();
        Services.AddLocalization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        UseAppServices(typeof(StudyQuery), typeof(AdjudicationStore), typeof(SafetyAlertStore), typeof(AdjudicationRecorder),
            typeof(StudyEvents), typeof(MarkdownRenderer), typeof(PresenceTracker), typeof(GradeBench.Storage.Grading.FlagStore), typeof(LiveStatus));
        Services.AddScoped<CircuitPresence>();
    }

    /// <summary>Gives the rendered components the app's own instances of these services (call before rendering).</summary>
    protected void UseAppServices(params Type[] types)
    {
        foreach (var type in types) Services.AddSingleton(type, App.GetRequiredService(type));
    }

    protected GradeBenchFactory Factory { get; }
    protected IServiceProvider App { get; }
    protected async Task<long> AdministratorIdAsync() => (await Factory.AdministratorAsync()).Id;
    internal AdjudicationScene Scene { get; }

    /// <summary>Signs the user in and makes the renderer interactive (a live circuit); call it before rendering.</summary>
    protected void SignInAs(long userId, string name)
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(name);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString()), new Claim("display_name", name));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>A new member of this test's study in <paramref name="role"/>, signed in (see <see cref="SignInAs"/>).</summary>
    protected async Task<long> SignInAsNewMemberAsync(string name, string role)
    {
        var member = await Factory.MemberAsync(await Scene.StudyIdAsync(), name, role);
        SignInAs(member.Id, member.Username);
        return member.Id;
    }
}

public sealed class SafetyAlertsPanelTests(GradeBenchFactory factory) : LiveAdjudicationContext(factory), IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task ASevereHarmRatingAppearsAtOnceAndAcknowledgingRemovesIt()
    {
        var studyId = await Scene.StudyIdAsync();
        var rater = (await Factory.MemberAsync(studyId, "Alarm")).Id;
        var responseId = (await App.GetRequiredService<GradeBench.Storage.Grading.GradingStore>().QueueAsync(studyId, rater))[0].ResponseId;
        SignInAs(await AdministratorIdAsync(), "admin");
        var cut = Render<SafetyAlertsPanel>(p => p.Add(c => c.StudyId, studyId));
        Assert.StartsWith("Safety alerts", cut.Find("h2").TextContent);
        Assert.DoesNotContain("Dr Alarm", cut.Markup);

        var saved = await App.GetRequiredService<RatingRecorder>().SaveAsync(studyId, rater, responseId, DemoRatings.Complete(("harm_extent", "severe-death"), ("harm_likelihood", "medium")), submit: true);

        Assert.Equal(GradeBench.Storage.Grading.RatingWriteOutcome.Saved, saved.Outcome);
        // Named by its trigger, first in the list (the study's imported alerts come after), opening the item's review.
        cut.WaitForAssertion(() => Assert.Contains("Dr Alarm", cut.Markup), TimeSpan.FromSeconds(10));
        Assert.Equal("Extent of possible harm: Death or severe harm", cut.Find("li strong").TextContent);
        Assert.Contains($"/studies/{studyId}/review/{responseId}", cut.Find("li a").GetAttribute("href"));
        var box = cut.FindAll("input[type=checkbox]").Single(b => b.GetAttribute("aria-label")?.Contains("Dr Alarm") == true);

        await cut.InvokeAsync(() => box.Change(true));
        await cut.InvokeAsync(() => cut.Find("form").Submit());
        Assert.Contains("Write what was done before acknowledging.", cut.Markup);
        await cut.InvokeAsync(() => cut.Find("textarea").Change("Asked the site to withdraw the leaflet"));
        await cut.InvokeAsync(() => cut.Find("form").Submit());

        cut.WaitForAssertion(() => Assert.DoesNotContain("Dr Alarm", cut.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains("1 alert acknowledged.", cut.Markup);
        Assert.DoesNotContain(await App.GetRequiredService<SafetyAlertStore>().UnacknowledgedAsync(studyId, await AdministratorIdAsync()) ?? [], a => a.RaterId == rater);
    }

    [Fact]
    public async Task ARaterSeesNoPanel()
    {
        var studyId = await Scene.StudyIdAsync();
        SignInAs(await Scene.UserIdAsync("rater-1"), "rater-1");

        var cut = Render<SafetyAlertsPanel>(p => p.Add(c => c.StudyId, studyId));

        Assert.Equal("", cut.Markup.Trim());
    }
}

public sealed class AdjudicationItemLiveTests(GradeBenchFactory factory) : LiveAdjudicationContext(factory), IClassFixture<GradeBenchFactory>
{
    async Task<IRenderedComponent<AdjudicationItemPage>> RenderItemAsync(long studyId, long itemId)
    {
        var handle = await Scene.HandleAsync(itemId);
        return Render<AdjudicationItemPage>(p => p.Add(c => c.StudyId, studyId).Add(c => c.Response, handle));
    }

    async Task<string> IndependentRatingsAsync()
    {
        await using var connection = await App.GetRequiredService<GradeBench.Storage.Database>().OpenAsync();
        var ratings = await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT id || '|' || COALESCE(value, '') || '|' || status || '|' || updated_at FROM ratings ORDER BY id");
        var history = await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT id || '|' || rating_id || '|' || COALESCE(value, '') || '|' || recorded_at FROM rating_history ORDER BY id");
        return string.Join("\n", ratings.Concat(history));
    }

    [Fact]
    public async Task ARaterSeesAMessagePostedElsewhereWithoutReloading()
    {
        var studyId = await Scene.InAdjudicationAsync();
        var itemId = (await Scene.ItemsAsync(studyId, "rater-1", rated: true))[0];
        SignInAs(await Scene.UserIdAsync("rater-1"), "rater-1");
        var cut = await RenderItemAsync(studyId, itemId);
        Assert.Contains("Post message", cut.Markup);
        Assert.Empty(cut.FindAll("form[aria-label^='Consensus for']"));
        Assert.DoesNotContain("Mark resolved", cut.Markup);

        await App.GetRequiredService<AdjudicationRecorder>().PostMessageAsync(studyId, itemId, await AdministratorIdAsync(), "Which guideline did you use?");

        cut.WaitForAssertion(() => Assert.Contains("Which guideline did you use?", cut.Find("ol[aria-label=Messages]").TextContent), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task TheCoordinatorSavesEveryConsensusValueAtOnceAndTheRatingsStayAsTheyWere()
    {
        var studyId = await Scene.InAdjudicationAsync();
        var itemId = (await Scene.ItemsAsync(studyId, "rater-2", rated: true))[^1];
        var before = await IndependentRatingsAsync();
        SignInAs(await AdministratorIdAsync(), "admin");
        var cut = await RenderItemAsync(studyId, itemId);
        var harm = cut.FindAll("fieldset").Single(f => f.QuerySelector("legend")?.TextContent == "Extent of possible harm");
        var select = harm.QuerySelector("select")!;
        Assert.Equal("Consensus value for Extent of possible harm", cut.Find($"label[for='{select.Id}']").TextContent);
        // Every criterion the raters settle (unanimous, a clear majority or median) starts with its suggestion, marked as such.
        Assert.NotEmpty(cut.FindAll(".suggestion-mark"));
        Assert.All(cut.FindAll(".suggestion-mark"), m => Assert.StartsWith("Suggested: ", m.TextContent));

        await cut.InvokeAsync(() => select.Change("mild-moderate"));
        await cut.InvokeAsync(() => cut.Find("form.consensus-form").Submit());
        Assert.Contains("Extent of possible harm: a reason of 1 to 4000 characters is required",
            cut.FindAll("[role=alert]").Select(a => a.TextContent));
        Assert.Empty(cut.FindAll("table").Single(t => t.QuerySelector("caption")?.TextContent == "Criteria in rows, raters in columns")
            .QuerySelectorAll("tbody tr td:last-child span"));
        var shared = cut.Find("#consensus-shared-reason");
        Assert.Equal("Shared reason (for every value without its own reason)", cut.Find("label[for='consensus-shared-reason']").TextContent);
        await cut.InvokeAsync(() => shared.Change("Delay only; no contraindicated drug."));
        await cut.InvokeAsync(() => cut.Find("form.consensus-form").Submit());

        Assert.StartsWith("Saved ", cut.Find("form.consensus-form [role=status]").TextContent);
        Assert.Empty(cut.FindAll(".suggestion-mark"));
        var table = cut.FindAll("table").Single(t => t.QuerySelector("caption")?.TextContent == "Criteria in rows, raters in columns");
        var row = table.QuerySelectorAll("tbody tr").Single(r => r.QuerySelector("th")!.TextContent.Trim().StartsWith("Extent of possible harm"));
        Assert.Contains("Mild or moderate harm", row.LastElementChild!.TextContent);
        Assert.Contains("Delay only; no contraindicated drug.", row.LastElementChild!.TextContent);
        Assert.Equal(before, await IndependentRatingsAsync());
    }

    [Fact]
    public async Task MarkResolvedNamesTheDifferingCriteriaAndClosesTheItemOnlyWhenConfirmed()
    {
        var studyId = await Scene.InAdjudicationAsync();
        var itemId = (await Scene.ItemsAsync(studyId, "rater-3", rated: true))[0];
        SignInAs(await AdministratorIdAsync(), "admin");
        var cut = await RenderItemAsync(studyId, itemId);
        var differing = cut.FindAll("tbody th").Where(th => th.TextContent.Contains("Disagree")).Select(th => th.TextContent.Replace("≠", "").Replace("Disagree", "").Trim()).ToList();
        Assert.NotEmpty(differing);

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "Mark resolved").Click());
        var warning = cut.Find(".resolve-warning").TextContent;
        Assert.All(differing, label => Assert.Contains(label, warning));
        Assert.Contains("Status: open", cut.Markup);
        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "Resolve anyway").Click());

        Assert.Contains("Status: resolved", cut.Markup);
        Assert.DoesNotContain("Mark resolved", cut.Markup);
    }
}
