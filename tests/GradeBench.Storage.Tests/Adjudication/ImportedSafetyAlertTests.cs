namespace GradeBench.Storage.Tests.Adjudication;

/// <summary>Pilot ratings of ratings.csv that report severe possible harm raise alerts at import.</summary>
public sealed class ImportedSafetyAlertTests
{
    [Fact]
    public async Task TheDemoPilotRatingsRaiseTheirAlertsAtImport()
    {
        await using var world = await AdjudicationWorld.CreateAsync();

        var alerts = (await world.Alerts.UnacknowledgedAsync(world.StudyId, world.Coordinator))!;

        // Counted by hand from data/demo-stroke/ratings.csv under the default rule: harm_extent "severe-death" 20 times,
        // harm_likelihood "high" 4 times (both labels contain "harm").
        Assert.Equal(24, alerts.Count);
        Assert.Equal(20, alerts.Count(a => a is { CriterionId: "harm_extent", Value: "severe-death" }));
        Assert.Equal(4, alerts.Count(a => a is { CriterionId: "harm_likelihood", Value: "high" }));
        // case-007.model-b: the three raters agree on everything, and all called it severe.
        Assert.Equal(["rater-1", "rater-2", "rater-3"], alerts.Where(a => a.ResponseSlug == "case-007.model-b").Select(a => a.RaterName).Order());
        Assert.All(alerts, a => Assert.Equal(world.Db.Clock.Now, a.At));
    }

    [Fact]
    public async Task ImportedAlertsAreMarkedImportedAndListedAfterTheAlertsRaisedHere()
    {
        await using var world = await AdjudicationWorld.CreateAsync();
        var grading = world.Grading;
        var response = (await grading.QueueAsync(world.StudyId, world.Outsider))[0].ResponseId;
        world.Db.Clock.Now = world.Db.Clock.Now.AddHours(2);
        await grading.SaveAsync(world.StudyId, world.Outsider, response, DemoRatings.Complete(("harm_likelihood", "high")), submit: true);

        var open = (await world.Alerts.OpenAsync(world.StudyId, world.Coordinator, limit: 3))!;

        Assert.Equal((25L, 24L), (open.Count, open.Imported));
        Assert.Equal(3, open.Alerts.Count);
        var live = open.Alerts[0];
        Assert.Equal((false, "dr-outsider", "Likelihood of possible harm: High"), (live.Imported, live.RaterName, live.Trigger));
        Assert.All(open.Alerts.Skip(1), a => Assert.True(a.Imported));
        Assert.Contains((await world.Alerts.UnacknowledgedAsync(world.StudyId, world.Coordinator))!, a => a.Trigger == "Extent of possible harm: Death or severe harm");
    }

    [Fact]
    public async Task AStudyWithoutSafetyRulesRaisesNoAlertAtImport()
    {
        var folder = Directory.CreateTempSubdirectory("gradebench-nosafety-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(TestPaths.DemoBundle)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
            var study = Path.Combine(folder, "study.json");
            File.WriteAllText(study, File.ReadAllText(study).Replace("\"raters_per_response\": 3,", "\"raters_per_response\": 3,\n  \"safety\": [],"));
            await using var world = await AdjudicationWorld.CreateAsync(folder);

            Assert.Empty((await world.Alerts.UnacknowledgedAsync(world.StudyId, world.Coordinator))!);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
