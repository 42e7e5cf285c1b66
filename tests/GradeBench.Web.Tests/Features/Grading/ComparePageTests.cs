using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Dapper;
using GradeBench.Core.Pairwise;
using GradeBench.Storage;
using GradeBench.Storage.Accounts;
using GradeBench.Storage.Pairwise;
using GradeBench.Web.Features.Grading;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Grading;

/// <summary>The side-by-side page as served to a rater (the first render, before the page is live): a study of pairs
/// of its own per test (<see cref="PairwiseFixture"/> on a copy of the blinded demo study).</summary>
public sealed class ComparePageTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    /// <summary>A side-by-side study whose first rater is signed in with a browser-like client.</summary>
    async Task<(PairwiseStudy Study, HttpClient Client)> SignedInRaterAsync() =>
        await SignedInRaterAsync(factory, await factory.ImportDemoCopyAsync());

    internal static async Task<(PairwiseStudy Study, HttpClient Client)> SignedInRaterAsync(GradeBenchFactory app, long demoCopy)
    {
        var study = await PairwiseFixture.TurnIntoPairwiseAsync(app.Services.GetRequiredService<Database>(), TimeProvider.System, demoCopy,
            GradeBenchFactory.UniqueName("dr-compare"), GradeBenchFactory.UniqueName("dr-other"));
        var users = app.Services.GetRequiredService<UserStore>();
        var rater = (await users.FindAsync(study.Raters[0]))!;
        await users.SetPasswordHashAsync(rater.Id, app.Services.GetRequiredService<IPasswordHasher<User>>().HashPassword(rater, GradeBenchFactory.MemberPassword));
        return (study, await app.SignedInClientAsync(rater));
    }

    static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>The start of an answer's first paragraph of plain text, as the page shows it (Markdown emphasis gone).</summary>
    static string FirstWords(string markdown) =>
        markdown.Split('\n').Select(l => l.Trim()).First(l => l.Length > 30 && !l.StartsWith('#') && !l.StartsWith('-') && !char.IsDigit(l[0]))
            .Replace("**", "").Replace("*", "")[..30];

    [Fact]
    public async Task BothAnswersAreShownSideBySideInFocusablePanesWithTheQuestionsBelow()
    {
        var (study, client) = await SignedInRaterAsync();
        var pair = study.Pairs[1];
        var item = (await factory.Services.GetRequiredService<PairwiseStore>().LoadItemAsync(study.StudyId, study.Raters[0], pair.Handle))!;

        var page = Parse(await client.GetStringAsync($"/studies/{study.StudyId}/compare/{pair.Handle}"));

        var left = page.QuerySelector("section#pair-left")!;
        var right = page.QuerySelector("section#pair-right")!;
        Assert.Equal(("Answer on the left", "0"), (left.GetAttribute("aria-label"), left.GetAttribute("tabindex")));
        Assert.Equal(("Answer on the right", "0"), (right.GetAttribute("aria-label"), right.GetAttribute("tabindex")));
        Assert.Contains(FirstWords(item.Left.ContentMd), page.QuerySelector("#pair-left-response")!.TextContent);
        Assert.Contains(FirstWords(item.Right.ContentMd), page.QuerySelector("#pair-right-response")!.TextContent);
        Assert.Equal("Pair 2 of 6", page.QuerySelector("#pair-heading")!.TextContent.Trim());
        Assert.Equal("0 / 6", page.QuerySelector("#pair-progress")!.TextContent.Trim());
        Assert.Contains(item.CaseTitle, page.QuerySelector("section#pair-case")!.TextContent);
        Assert.Equal(["Highlights in the answer on the left", "Highlights in the answer on the right"],
            page.QuerySelectorAll("section.spans").Select(s => s.GetAttribute("aria-label")));

        var axes = page.QuerySelectorAll("form.pair-form fieldset[role=radiogroup][data-axis]");
        Assert.Equal(["axis-consensus", "axis-harm"], axes.Select(a => a.Id));
        Assert.Equal("Which answer better reflects clinical consensus? *", page.GetElementById(axes[0].GetAttribute("aria-labelledby")!)!.TextContent);
        Assert.Equal(["left:a:Left", "right:b:Right", "tie:t:Tie"], Choices(axes[0]));
        Assert.Equal(["left:a:Left", "right:b:Right", "tie:t:Tie", "both_bad:x:Both unacceptable"], Choices(axes[1]));
        Assert.Equal(["reason-accuracy", "reason-safety"], page.QuerySelectorAll("#pair-reasons input[type=checkbox]").Select(c => c.Id));
        Assert.Equal("comment", page.QuerySelector("textarea#pair-comment")!.GetAttribute("data-criterion"));
        Assert.Equal(pair.Handle, page.QuerySelector("form.pair-form")!.GetAttribute("data-pair"));
        Assert.Equal($"gradebench:unsent:{study.Raters[0]}:{study.StudyId}:pair:{pair.Handle}", page.QuerySelector("form.pair-form")!.GetAttribute("data-journal"));
        // Nothing can be chosen before the page is live, so that nothing chosen then is lost.
        Assert.True(page.QuerySelector("#pair-judgement > fieldset.pane-controls")!.HasAttribute("disabled"));
    }

    static List<string> Choices(IElement axis) =>
        [.. axis.QuerySelectorAll("input[type=radio]").Select(r => $"{r.GetAttribute("value")}:{r.GetAttribute("data-key")}:{r.ParentElement!.TextContent.Trim()}")];

    [Fact]
    public async Task NoPageOfTheRatersPairsNamesAModelABundleIdOrAResponseHandleNotEvenItsFlagPanels()
    {
        var (study, client) = await SignedInRaterAsync();
        var flags = factory.Services.GetRequiredService<PairFlagRecorder>();
        foreach (var pair in study.Pairs)
            foreach (var answer in new[] { pair.A, pair.B })
                Assert.True(await flags.AddAsync(study.StudyId, study.Raters[0], pair.Id, answer.Id, "Is this answer complete?"));

        foreach (var pair in study.Pairs)
        {
            var html = await client.GetStringAsync($"/studies/{study.StudyId}/compare/{pair.Handle}");
            Assert.Contains("data-axis=\"consensus\"", html);
            Assert.DoesNotContain("model-", html);
            foreach (var answer in new[] { pair.A, pair.B })
            {
                Assert.DoesNotContain(answer.Slug, html);
                Assert.DoesNotContain(answer.Handle, html);
            }
            var page = Parse(html);
            Assert.Equal("Flag the answer on the left for coordinator", page.QuerySelector("#pair-left section.flag")!.GetAttribute("aria-label"));
            Assert.Equal("Flag the answer on the right for coordinator", page.QuerySelector("#pair-right section.flag")!.GetAttribute("aria-label"));
            Assert.Equal(["You flagged this answer: “Is this answer complete?”"],
                page.QuerySelectorAll("#pair-left section.flag ul[aria-label='Your flags on the answer on the left'] p").Select(p => p.TextContent).Distinct());
        }
        Assert.DoesNotContain("model-", await client.GetStringAsync($"/studies/{study.StudyId}/compare"));
    }

    /// <summary>What the pair's adjudication item page records when it shows the rater the other raters' votes.</summary>
    internal static async Task RevealAsync(IServiceProvider app, PairwiseStudy study, FixturePair pair, int rater = 0)
    {
        await using var connection = await app.GetRequiredService<Database>().OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO pair_reveals (study_id, rater_id, pair_id, revealed_at) VALUES (@StudyId, @Rater, @Pair, '2026-11-26T09:00:00.0000000Z')
            """, new { study.StudyId, Rater = study.Raters[rater], Pair = pair.Id });
    }

    [Fact]
    public async Task APairWhoseVotesTheRaterHasSeenOpensReadOnlyAndSaysWhy()
    {
        var (study, client) = await SignedInRaterAsync();
        await factory.Services.GetRequiredService<PairwiseStore>().SaveAsync(study.StudyId, study.Raters[0], study.Pairs[0].Id, new()
        {
            Choices = new Dictionary<string, PairwiseChoice?> { ["harm"] = PairwiseChoice.BothBad },
            Reasons = ["accuracy"],
        }, submit: false);
        await RevealAsync(factory.Services, study, study.Pairs[0]);

        var frozen = Parse(await client.GetStringAsync($"/studies/{study.StudyId}/compare/{study.Pairs[0].Handle}"));
        var free = Parse(await client.GetStringAsync($"/studies/{study.StudyId}/compare/{study.Pairs[1].Handle}"));

        const string Note = "You have seen other raters' votes on this pair, so your independent judgement of it is final. Discuss changes in adjudication.";
        Assert.Equal(Note, frozen.QuerySelector("form.pair-form .frozen-note")!.TextContent.Trim());
        Assert.True(frozen.QuerySelector("fieldset.pair-fields")!.HasAttribute("disabled"));
        Assert.True(frozen.QuerySelector("#pair-submit")!.HasAttribute("disabled"));
        Assert.True(frozen.QuerySelector("#axis-harm-both_bad")!.HasAttribute("checked"));
        Assert.True(frozen.QuerySelector("#reason-accuracy")!.HasAttribute("checked"));
        Assert.DoesNotContain(Note, free.Body!.TextContent);
        Assert.False(free.QuerySelector("fieldset.pair-fields")!.HasAttribute("disabled"));
        Assert.False(free.QuerySelector("#pair-submit")!.HasAttribute("disabled"));
    }

    [Fact]
    public async Task APairOfAnotherRaterIsNotShown()
    {
        var (study, client) = await SignedInRaterAsync();
        await using (var connection = await factory.Services.GetRequiredService<Database>().OpenAsync())
            await connection.ExecuteAsync("DELETE FROM pair_assignments WHERE rater_id = @Rater AND pair_id = @Pair",
                new { Rater = study.Raters[0], Pair = study.Pairs[4].Id });

        var html = await client.GetStringAsync($"/studies/{study.StudyId}/compare/{study.Pairs[4].Handle}");

        Assert.Contains("That pair is not assigned to you.", html);
        Assert.DoesNotContain("radiogroup", html);
        Assert.DoesNotContain("pair-left", html);
    }

    [Fact]
    public async Task SomeoneWhoIsNotARaterOfTheStudyGetsNoPair()
    {
        var (study, _) = await SignedInRaterAsync();

        var html = await factory.PageAsAdministratorAsync($"/studies/{study.StudyId}/compare");

        Assert.Contains("You are not a rater in this study.", html);
        Assert.DoesNotContain("radiogroup", html);
    }

    [Fact]
    public async Task TheGradingPageOfAStudyOfPairsSendsTheRaterToCompare()
    {
        var (study, client) = await SignedInRaterAsync();

        var queue = await client.GetAsync($"/studies/{study.StudyId}/grade");
        var response = await client.GetAsync($"/studies/{study.StudyId}/grade/{study.Pairs[0].A.Handle}");

        Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
        Assert.Equal($"/studies/{study.StudyId}/compare", PathOf(queue.Headers.Location!));
        Assert.Equal($"/studies/{study.StudyId}/compare", PathOf(response.Headers.Location!));
    }

    static string PathOf(Uri location) => location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString;

    [Fact]
    public async Task TheHomePageTakesARaterOfAStudyOfPairsToCompareWithTheirProgressOnPairs()
    {
        var (study, client) = await SignedInRaterAsync();

        var html = await client.GetStringAsync("/");

        Assert.Contains(">0 of 6 done</p>", html);
        Assert.Matches($"href=\"/studies/{study.StudyId}/compare\"[^>]*>[^<]*(<[^>]+>)*Start grading", html);
    }
}
