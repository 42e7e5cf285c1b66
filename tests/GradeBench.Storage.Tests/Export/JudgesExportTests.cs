using System.Globalization;
using Dapper;
using GradeBench.Core.Agreement;
using GradeBench.Core.Judges;
using GradeBench.Storage.Export;
using GradeBench.Storage.Judges;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Tests.Adjudication;
using Sylvan.Data.Csv;

namespace GradeBench.Storage.Tests.Export;

/// <summary>judges.csv of the demo study with a judge: the numbers of <see cref="JudgeResultsQuery"/>, the record the
/// results page and the report show, in full precision, with physicians named as in ratings.csv.</summary>
public sealed class JudgesExportTests
{
    const string Header = "criterion,judge,statistic,physician,model,judge_value,majority_value,value,ci_lower,ci_upper,n,reason";

    static async Task<string> ExportAsync(TestDatabase db, long studyId, string kind)
    {
        var output = new StringWriter();
        await ExportKinds.Text.Single(k => k.Name == kind).Write(new TextExport(db.Database), studyId, output, CancellationToken.None);
        return output.ToString();
    }

    static List<Dictionary<string, string>> Parse(string csv)
    {
        using var reader = CsvDataReader.Create(new StringReader(csv));
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetString));
        return rows;
    }

    /// <summary>The judge rates every response: where physicians rated it, as the lowest (odd response ids) or highest
    /// (even ones) of their values, so it mostly agrees with them; elsewhere as a sound answer.</summary>
    static async Task RateLikeThePhysiciansAsync(TestDatabase db, long judgeId)
    {
        await using var connection = await db.Database.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO ratings (response_id, rater_id, criterion_id, value, comment, status, updated_at, submitted_at)
            SELECT a.response_id, a.rater_id, c.id,
                   COALESCE((SELECT CASE WHEN a.response_id % 2 = 0 THEN MAX(g.value) ELSE MIN(g.value) END FROM ratings g
                             WHERE g.response_id = a.response_id AND g.criterion_id = c.id AND g.rater_id <> @JudgeId AND g.status = 'submitted'),
                            @Value), NULL, 'submitted', @Now, @Now
            FROM assignments a JOIN criteria c ON c.study_id = a.study_id AND c.slug = @Criterion
            WHERE a.rater_id = @JudgeId
            """, DemoRatings.Complete().Select(v => new { JudgeId = judgeId, Criterion = v.Key, v.Value, db.Clock.Now }));
    }

    static double? Number(string cell) => cell == "" ? null : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);

    [Fact]
    public async Task JudgesCsvHoldsTheNumbersOfTheStudysJudgeResults()
    {
        await using var world = await AdjudicationWorld.CreateAsync();
        var judge = (await new JudgeStore(world.Db.Database, new RubricQuery(world.Db.Database), world.Db.Clock)
            .AddAsync(world.StudyId, new NewJudge("copycat", "gpt-4o"))).Judge!;
        await RateLikeThePhysiciansAsync(world.Db, judge.UserId);

        var text = await ExportAsync(world.Db, world.StudyId, "judges.csv");

        var rows = Parse(text);
        var results = await new JudgeResultsQuery(world.Db.Database).LoadAsync(world.StudyId);
        Dictionary<string, string> usernames;
        await using (var connection = await world.Db.Database.OpenAsync())
            usernames = (await connection.QueryAsync<(long Id, string Username)>("SELECT id, username FROM users"))
                .ToDictionary(u => u.Id.ToString(CultureInfo.InvariantCulture), u => u.Username);
        var ratingsCsvRaters = Parse(await ExportAsync(world.Db, world.StudyId, "ratings.csv")).Select(r => r["rater"]).Distinct().Order();

        Assert.StartsWith(Header + "\r\n", text);
        Assert.Equal(JudgeRows.Of(results, id => usernames[id]).Count(), rows.Count);
        Assert.Equal(results.Criteria.Select(c => c.Criterion.Id), rows.Select(r => r["criterion"]).Distinct());
        Assert.Equal(8, results.Criteria.Count);
        Assert.Equal(ratingsCsvRaters, rows.Select(r => r["physician"]).Where(p => p != "").Distinct().Order());
        Assert.Equal(["", "copycat"], rows.Select(r => r["judge"]).Distinct().Order());

        Dictionary<string, string> Row(string criterion, string statistic, string physician = "", string model = "", string judgeValue = "", string majorityValue = "") =>
            Assert.Single(rows, r => r["criterion"] == criterion && r["judge"] == "copycat" && r["statistic"] == statistic && r["physician"] == physician
                && r["model"] == model && r["judge_value"] == judgeValue && r["majority_value"] == majorityValue);
        void Same(Estimate estimate, long n, Dictionary<string, string> row)
        {
            Assert.Equal(estimate.Value, Number(row["value"]));
            Assert.Equal(estimate.Ci95?.Lower, Number(row["ci_lower"]));
            Assert.Equal(estimate.Ci95?.Upper, Number(row["ci_upper"]));
            Assert.Equal(n.ToString(CultureInfo.InvariantCulture), row["n"]);
            Assert.Equal(estimate.Reason?.ToString() ?? "", row["reason"]);
        }

        foreach (var criterion in results.Criteria)
        {
            var c = criterion.Criterion.Id;
            var report = Assert.Single(criterion.Report.Judges);
            Assert.Equal("60", Row(c, "responses")["value"]);
            foreach (var human in report.AltTest.Humans)
            {
                // Each physician shares 18 responses with others: too few for the test.
                Assert.Equal("18", Row(c, "alt_test_instances", usernames[human.Human])["value"]);
                var pValue = Row(c, "alt_test_p_value", usernames[human.Human]);
                Assert.Equal(("", human.NotTested!.ToString()), (pValue["value"], pValue["reason"]));
            }
            foreach (var pair in report.WithPhysicians)
                foreach (var metric in pair.Metrics)
                    Same(metric.Estimate, pair.Units, Row(c, metric.Name, usernames[pair.RaterB]));
            Same(report.Leniency, 24, Row(c, "leniency"));
            for (var a = 0; a < report.Confusion.Categories.Count; a++)
                for (var b = 0; b < report.Confusion.Categories.Count; b++)
                    Assert.Equal(report.Confusion.Counts[a, b].ToString(CultureInfo.InvariantCulture),
                        Row(c, "confusion", judgeValue: report.Confusion.Categories[a], majorityValue: report.Confusion.Categories[b])["value"]);
            foreach (var model in report.Models)
            {
                Same(model.PhysicianMean, model.PhysicianRated, Row(c, "physician_mean", model: model.Model));
                Same(model.PredictionPoweredMean, model.Labeled + model.Unlabeled, Row(c, "ppi_mean", model: model.Model));
                Same(model.Gain, model.PhysicianRated, Row(c, "gain", model: model.Model));
            }
        }
        Assert.Contains(rows, r => r["statistic"] == "ppi_mean" && r["value"] != "" && r["ci_lower"] != "");
        Assert.Contains(rows, r => r["statistic"] == "cohen_kappa" && r["value"] != "" && r["ci_lower"] != "");
    }

    [Fact]
    public async Task AStudyWithoutJudgesGivesTheHeaderAlone()
    {
        await using var world = await AdjudicationWorld.CreateAsync();

        var text = await ExportAsync(world.Db, world.StudyId, "judges.csv");

        Assert.Equal(Header + "\r\n", text);
    }
}
