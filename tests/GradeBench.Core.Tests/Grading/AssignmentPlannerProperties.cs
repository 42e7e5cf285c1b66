using FsCheck.Xunit;
using GradeBench.Core.Grading;

namespace GradeBench.Core.Tests.Grading;

/// <summary>Properties of <see cref="AssignmentPlanner"/> over random shapes. FsCheck draws integers; the shape (0–150
/// responses, 1–12 raters, 1–7 per response, so often more than there are raters) and any random existing work are
/// derived from them, so a failure replays from the printed arguments.</summary>
public sealed class AssignmentPlannerProperties
{
    static (long[] Responses, long[] Raters, int PerResponse) Shape(int responses, int raters, int perResponse) =>
        (Ids.Responses(Math.Abs(responses % 151)), Ids.Raters(1 + Math.Abs(raters % 12)), 1 + Math.Abs(perResponse % 7));

    [Property(MaxTest = 300)]
    public void EveryResponseGetsAsManyDistinctRatersAsWantedOrAsThereAre(int responses, int raters, int perResponse, ulong seed)
    {
        var (u, r, k) = Shape(responses, raters, perResponse);
        var plan = AssignmentPlanner.Plan(u, r, k, [], seed);
        var tally = new AssignmentTally(r, plan);

        Assert.Equal(plan.Count, plan.Distinct().Count());
        Assert.All(u, id => Assert.Equal(Math.Min(k, r.Length), tally.Covered(id)));
        Assert.All(plan, a => Assert.Contains(a.RaterId, r));
    }

    [Property(MaxTest = 300)]
    public void LoadsOfAFreshPlanDifferByAtMostOne(int responses, int raters, int perResponse, ulong seed)
    {
        var (u, r, k) = Shape(responses, raters, perResponse);
        Assert.InRange(new AssignmentTally(r, AssignmentPlanner.Plan(u, r, k, [], seed)).LoadSpread, 0, 1);
    }

    [Property(MaxTest = 300)]
    public void AddingResponsesToABalancedStudyKeepsLoadsWithinOne(int responses, int raters, int perResponse, int more, ulong seed)
    {
        var (u, r, k) = Shape(responses, raters, perResponse);
        var before = AssignmentPlanner.Plan(u, r, k, [], seed);
        var all = Ids.Responses(u.Length + Math.Abs(more % 60));

        var added = AssignmentPlanner.Plan(all, r, k, [.. before], seed + 1);
        var tally = new AssignmentTally(r, [.. before, .. added]);

        Assert.All(added, a => Assert.DoesNotContain(a.ResponseId, u));
        Assert.All(all, id => Assert.Equal(Math.Min(k, r.Length), tally.Covered(id)));
        Assert.InRange(tally.LoadSpread, 0, 1);
    }

    [Property(MaxTest = 300)]
    public void AddingRatersAndResponsesNeverWidensTheLoadSpreadBeyondOne(int responses, int raters, int perResponse, int newRaters, int more, ulong seed)
    {
        var (u, r, k) = Shape(responses, raters, perResponse);
        var before = AssignmentPlanner.Plan(u, r, k, [], seed);
        var pool = Ids.Raters(r.Length + 1 + Math.Abs(newRaters % 3));
        var all = Ids.Responses(u.Length + Math.Abs(more % 80));
        var spreadBefore = new AssignmentTally(pool, before).LoadSpread;

        var added = AssignmentPlanner.Plan(all, pool, k, [.. before], seed);
        var after = new AssignmentTally(pool, [.. before, .. added]);

        Assert.InRange(after.LoadSpread, 0, Math.Max(spreadBefore, 1));
        Assert.All(all, id => Assert.True(after.Covered(id) >= Math.Min(k, pool.Length)));
    }

    /// <summary>The guarantee as documented, checked on arbitrary existing work (part of an earlier plan, duplicates,
    /// raters who left, responses no longer listed, a grown pool): replaying the additions in the order returned, each
    /// one goes to a rater with the least load among the pool raters not yet on that response.</summary>
    [Property(MaxTest = 400)]
    public void EveryNewSlotGoesToALeastLoadedEligibleRaterAndNothingExistingMoves(
        int responses, int raters, int perResponse, int existingSeed, ulong seed)
    {
        var (u, r, k) = Shape(responses, raters, perResponse);
        var existing = RandomExistingWork(existingSeed, u, r, k);
        var pool = Ids.Raters(r.Length + Math.Abs(existingSeed % 3));
        var all = Ids.Responses(u.Length + Math.Abs(existingSeed % 20));

        var added = AssignmentPlanner.Plan(all, pool, k, existing, seed);

        var existingSet = existing.ToHashSet();
        Assert.Equal(added.Count, added.Distinct().Count());
        Assert.All(added, a => Assert.DoesNotContain(a, existingSet));
        Assert.All(added, a => Assert.Contains(a.RaterId, pool));

        var listed = all.ToHashSet();
        var load = pool.ToDictionary(id => id, _ => 0);
        var on = all.ToDictionary(id => id, _ => new HashSet<long>());
        foreach (var a in existingSet.Where(a => listed.Contains(a.ResponseId)))
        {
            on[a.ResponseId].Add(a.RaterId);
            if (load.ContainsKey(a.RaterId)) load[a.RaterId]++;
        }
        var coveredBefore = on.ToDictionary(p => p.Key, p => p.Value.Count);
        foreach (var a in added)
        {
            var eligible = pool.Where(id => !on[a.ResponseId].Contains(id)).ToArray();
            Assert.Equal(eligible.Min(id => load[id]), load[a.RaterId]);
            on[a.ResponseId].Add(a.RaterId);
            load[a.RaterId]++;
        }
        Assert.All(all, id => Assert.Equal(Math.Max(coveredBefore[id], Math.Min(k, pool.Length)), on[id].Count));
    }

    [Property(MaxTest = 200)]
    public void TheSameInputsGiveTheSamePlanWhateverTheOrderOfRatersAndExistingWork(
        int responses, int raters, int perResponse, int existingSeed, ulong seed)
    {
        var (u, r, k) = Shape(responses, raters, perResponse);
        var existing = RandomExistingWork(existingSeed, u, r, k);
        var shuffled = r.ToArray();
        new Random(existingSeed).Shuffle(shuffled);

        var plan = AssignmentPlanner.Plan(u, r, k, existing, seed);

        Assert.Equal(plan, AssignmentPlanner.Plan(u, r, k, existing, seed));
        Assert.Equal(plan, AssignmentPlanner.Plan(u, shuffled, k, [.. existing.AsEnumerable().Reverse()], seed));
    }

    /// <summary>Part of a plan for (responses, raters, k), with a few duplicates, assignments of raters outside the
    /// pool and of responses that are not listed.</summary>
    static Assignment[] RandomExistingWork(int seed, long[] responses, long[] raters, int perResponse)
    {
        var random = new Random(seed);
        var keep = random.NextDouble();
        var work = AssignmentPlanner.Plan(responses, raters, perResponse, [], (ulong)random.NextInt64())
            .Where(_ => random.NextDouble() < keep)
            .ToList();
        for (var i = random.Next(4); i > 0 && work.Count > 0; i--) work.Add(work[random.Next(work.Count)]);
        for (var i = random.Next(4); i > 0 && responses.Length > 0; i--) work.Add(new(responses[random.Next(responses.Length)], 1 + i));
        for (var i = random.Next(3); i > 0; i--) work.Add(new(-i, raters[random.Next(raters.Length)]));
        return [.. work];
    }
}
