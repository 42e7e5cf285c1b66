using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Html.Parser;
using GradeBench.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests.Features.Export;

/// <summary>pairwise.csv is offered by side-by-side studies only: in the API and on the downloads page.</summary>
public sealed class PairwiseExportApiTests(GradeBenchFactory factory) : IClassFixture<GradeBenchFactory>
{
    [Fact]
    public async Task OnlyASideBySideStudyOffersPairwiseCsv()
    {
        var (single, _) = await factory.ImportNamedDemoCopyAsync();
        var (pairwise, slug) = await factory.ImportNamedDemoCopyAsync();
        await PairwiseFixture.TurnIntoPairwiseAsync(factory.Services.GetRequiredService<Database>(), TimeProvider.System, pairwise,
            GradeBenchFactory.UniqueName("dr-pairs"));
        var admin = await factory.SignedInAdministratorAsync();

        var refused = await admin.GetAsync($"/api/studies/{single}/export/pairwise.csv");
        var served = await admin.GetAsync($"/api/studies/{pairwise}/export/pairwise.csv");
        var singleLinks = Links(await admin.GetStringAsync($"/studies/{single}/downloads"));
        var pairwiseLinks = Links(await admin.GetStringAsync($"/studies/{pairwise}/downloads"));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("There is no export \"pairwise.csv\" of this study: it is for side-by-side (pairwise) studies. Exports: ratings.csv, " +
            "ratings-wide.csv, annotations.jsonl, note-spans.csv, span-links.csv, gold-spans.csv, history.csv, flags.csv, safety-alerts.csv, agreement.csv, span-agreement.csv, judges.csv, report.html, report.md, bundle.zip.",
            (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal($"{slug}-pairwise.csv", served.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("case,rater,axis,left_response,right_response,left_model,right_model,choice,reasons,comment,first_submitted,last_changed\r\n",
            await served.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Download pairwise.csv", singleLinks);
        Assert.Contains("Download pairwise.csv", pairwiseLinks);
        Assert.Contains("Download pairwise.csv for Excel", pairwiseLinks);
    }

    static List<string> Links(string html) =>
        [.. new HtmlParser().ParseDocument(html).QuerySelectorAll("a[download]").Select(a => a.TextContent.Trim())];
}
