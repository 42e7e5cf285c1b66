using Dapper;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;

namespace GradeBench.Storage.Tests.Adjudication;

public sealed class SafetyAlertTests : IAsyncLifetime
{
    AdjudicationWorld _world = null!;
    long _rater, _response;

    static Dictionary<string, string?> Rating(string harm = "none", string likelihood = "low") =>
        DemoRatings.Complete(("harm_extent", harm), ("harm_likelihood", likelihood));

    public async Task InitializeAsync()
    {
        _world = await AdjudicationWorld.CreateAsync();
        _rater = _world.Outsider;
        _response = (await _world.Grading.QueueAsync(_world.StudyId, _rater))[0].ResponseId;
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    Task<RatingWriteResult> SaveAsync(Dictionary<string, string?> values, bool submit = true) =>
        _world.Grading.SaveAsync(_world.StudyId, _rater, _response, values, submit);

    async Task<long> AlertCountAsync()
    {
        await using var connection = await _world.Db.Database.OpenAsync();
        // The pilot ratings raised alerts of their own at import; these tests count the new rater's.
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM safety_alerts WHERE rater_id = @Rater", new { Rater = _rater });
    }

    [Fact]
    public async Task ASubmittedSevereRatingRaisesOneAlertPerCriterionOnce()
    {
        var first = await SaveAsync(Rating("severe-death", "high"));
        var again = await SaveAsync(Rating("severe-death", "high"));
        var changedElsewhere = await SaveAsync(new() { ["overall"] = "2" }, submit: false);

        Assert.Equal([("harm_extent", "severe-death"), ("harm_likelihood", "high")], first.SafetyAlerts.Select(a => (a.CriterionId, a.Value)));
        var alert = first.SafetyAlerts[0];
        Assert.Equal((_response, _rater, "dr-outsider", "Extent of possible harm"), (alert.ResponseId, alert.RaterId, alert.RaterName, alert.CriterionLabel));
        Assert.StartsWith("case-", alert.ResponseSlug);
        Assert.Empty(again.SafetyAlerts);
        Assert.Empty(changedElsewhere.SafetyAlerts);
        Assert.Equal(2, await AlertCountAsync());
    }

    [Fact]
    public async Task ADraftRaisesNoAlertUntilItIsSubmitted()
    {
        var draft = await SaveAsync(new() { ["harm_extent"] = "severe-death" }, submit: false);
        Assert.Empty(draft.SafetyAlerts);
        Assert.Equal(0, await AlertCountAsync());

        var submitted = await SaveAsync(Rating("severe-death"));
        Assert.Equal("harm_extent", Assert.Single(submitted.SafetyAlerts).CriterionId);
    }

    [Fact]
    public async Task ChangingASubmittedRatingToSevereRaisesAnAlert()
    {
        Assert.Empty((await SaveAsync(Rating())).SafetyAlerts);

        var changed = await SaveAsync(new() { ["harm_extent"] = "severe-death" }, submit: false);

        Assert.Equal("harm_extent", Assert.Single(changed.SafetyAlerts).CriterionId);
    }

    [Fact]
    public async Task OnlyACoordinatorListsAndAcknowledgesAlerts()
    {
        var alert = (await SaveAsync(Rating("severe-death"))).SafetyAlerts.Single();

        Assert.Null(await _world.Alerts.UnacknowledgedAsync(_world.StudyId, _rater));
        Assert.Null(await _world.Alerts.AcknowledgeAsync(_world.StudyId, [alert.AlertId], _rater, "seen"));
        Assert.Null(await _world.Alerts.ForResponseAsync(_world.StudyId, _response, _rater));
        Assert.Equal([alert.AlertId], (await _world.Alerts.UnacknowledgedAsync(_world.StudyId, _world.Coordinator))!.Where(a => a.RaterId == _rater).Select(a => a.AlertId));

        Assert.Equal(1, await _world.Alerts.AcknowledgeAsync(_world.StudyId, [alert.AlertId], _world.Coordinator, "Checked with the rater"));
        Assert.Equal(0, await _world.Alerts.AcknowledgeAsync(_world.StudyId, [alert.AlertId], _world.Coordinator, "again"));
        Assert.DoesNotContain((await _world.Alerts.UnacknowledgedAsync(_world.StudyId, _world.Coordinator))!, a => a.AlertId == alert.AlertId);
    }

    [Fact]
    public async Task AlertsAreAcknowledgedInBulkOnlyWithANoteKeptWithWhoAndWhen()
    {
        var raised = (await SaveAsync(Rating("severe-death", "high"))).SafetyAlerts.Select(a => a.AlertId).ToList();
        _world.Db.Clock.Now = _world.Db.Clock.Now.AddMinutes(30);

        Assert.Null(await _world.Alerts.AcknowledgeAsync(_world.StudyId, raised, _world.Coordinator, "   "));
        Assert.Equal(2, await _world.Alerts.AcknowledgeAsync(_world.StudyId, raised, _world.Coordinator, " Called the site; answer withdrawn from the patient leaflet. "));

        await using var connection = await _world.Db.Database.OpenAsync();
        var trail = (await connection.QueryAsync<(string Note, long By)>(
            $"SELECT acknowledgement_note, acknowledged_by FROM safety_alerts WHERE {ListParameter.In(connection, "id", "@Ids")}", new { Ids = raised })).ToList();
        Assert.Equal(2, trail.Count);
        Assert.All(trail, t => Assert.Equal(("Called the site; answer withdrawn from the patient leaflet.", _world.Coordinator),
            (t.Note, t.By)));
        Assert.All(await connection.QueryAsync<DateTimeOffset>($"SELECT acknowledged_at FROM safety_alerts WHERE {ListParameter.In(connection, "id", "@Ids")}",
            new { Ids = raised }), at => Assert.Equal(_world.Db.Clock.Now, at));
        var onItem = (await _world.Alerts.ForResponseAsync(_world.StudyId, _response, _world.Coordinator))!;
        Assert.Equal(["Extent of possible harm: Death or severe harm", "Likelihood of possible harm: High"], onItem.Select(a => a.Trigger));
    }

    [Fact]
    public async Task AnAlertedResponseIsQueuedEvenWhenItsRatingWasChangedBackAndNobodyDisagrees()
    {
        await SaveAsync(Rating("severe-death"));
        await SaveAsync(new() { ["harm_extent"] = "none" }, submit: false);

        await _world.MoveToAsync(StudyState.Adjudication);
        await _world.Store.BuildQueueAsync(_world.StudyId);

        var item = Assert.Single((await _world.Store.ListAsync(_world.StudyId, _rater))!);
        Assert.Equal((_response, true, false), (item.ResponseId, item.Safety, item.Disagreement));
    }
}

public sealed class StudyRulesTests
{
    /// <summary>A copy of the demo bundle with <paramref name="settings"/> added to its study.json.</summary>
    static string DemoWith(string settings)
    {
        var folder = Directory.CreateTempSubdirectory("gradebench-rules-").FullName;
        foreach (var file in Directory.GetFiles(TestPaths.DemoBundle)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var study = Path.Combine(folder, "study.json");
        File.WriteAllText(study, File.ReadAllText(study).Replace("\"raters_per_response\": 3,", $"\"raters_per_response\": 3,\n  {settings},"));
        return folder;
    }

    [Fact]
    public async Task RulesFromStudyJsonAreStoredAtImportAndDecideTheQueue()
    {
        var bundle = DemoWith("\"adjudication\": { \"rules\": { \"completeness\": \"never\", \"reasoning\": { \"min_range\": 3 } } }, \"safety\": []");
        try
        {
            await using var world = await AdjudicationWorld.CreateAsync(bundle);
            await world.MoveToAsync(StudyState.Adjudication);

            var settings = await world.Store.SettingsAsync(world.StudyId);
            await world.Store.BuildQueueAsync(world.StudyId);
            var queue = (await world.Store.ListAsync(world.StudyId, world.Coordinator))!.Select(i => i.ResponseLabel).ToList();

            Assert.Equal("never", settings.Rules["completeness"].Describe());
            Assert.Equal("range ≥ 3", settings.Rules["reasoning"].Describe());
            Assert.Empty(settings.Safety);
            Assert.DoesNotContain("case-001.model-b", queue); // only completeness disagreed, and the safety rule is off
            Assert.DoesNotContain("case-007.model-b", queue);
            Assert.DoesNotContain("case-004.model-c", queue); // reasoning 3/4/2 is a range of 2 only
            Assert.Contains("case-001.model-c", queue);
        }
        finally
        {
            Directory.Delete(bundle, recursive: true);
        }
    }
}
