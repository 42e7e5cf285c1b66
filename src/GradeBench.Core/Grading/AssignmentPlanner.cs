namespace GradeBench.Core.Grading;

/// <summary>Decides which raters grade which responses: a deterministic greedy that tops a study up to
/// <c>min(ratersPerResponse, raters)</c> distinct raters per response without touching existing assignments,
/// balancing rater load first and the overlap of rater pairs second. The heuristic, its guarantees and the
/// evenness it reaches are written down in <c>docs/assignment.md</c>.</summary>
/// <remarks>
/// <para>Each missing slot is filled by scanning the raters eligible for the response (in the pool, not already on
/// it) and taking the smallest by the key (load, pair score, tie-break rank): load is the rater's assignment count
/// so far (existing plus planned); pair score is Σ over the raters already on the response of how many responses
/// the two share so far — so among the least-loaded raters the one who has co-rated least with this response's
/// raters wins, in the spirit of balanced incomplete block designs (Fleiss 1981, "Balanced incomplete block designs
/// for inter-rater reliability studies", Applied Psychological Measurement 5(1)); ties go to the lower rank in a
/// Fisher–Yates shuffle of the raters drawn afresh for every response from <see cref="SplitMix64"/> seeded with the
/// caller's seed.</para>
/// <para>Guarantees: every new slot goes to a least-loaded eligible rater at the moment it is chosen. Consequently
/// (1) from no existing assignments the final loads differ by at most one; (2) a response without existing
/// assignments never widens the load spread beyond max(spread, 1), and keeps giving work to the least-loaded raters
/// until they catch up. Partly covered responses are topped up first and empty ones afterwards, so the flexible
/// responses can repair what the constrained ones unbalance. Existing work that is unbalanced stays as it is:
/// nothing is moved, so a rater added to a fully covered study gets no new work from this planner.</para>
/// <para>Cost: O(E + N·k·R) time for E existing assignments, N responses, k raters per response and R raters, with
/// an R×R pair table and O(N + R) other memory; nothing is allocated per response.</para>
/// </remarks>
public static class AssignmentPlanner
{
    /// <summary>The assignments to add so that each of <paramref name="responseIds"/> has
    /// <c>min(<paramref name="ratersPerResponse"/>, raters)</c> distinct raters, in the order they were chosen
    /// (responses already partly covered first, then the others, each group in the order given).</summary>
    /// <param name="responseIds">The study's responses in a stable order (the order breaks no ties but decides
    /// which responses are filled first).</param>
    /// <param name="raterIds">The raters who can take new work, in any order (they are sorted first, so the order
    /// does not change the result).</param>
    /// <param name="ratersPerResponse">How many distinct raters each response should have; at least one.</param>
    /// <param name="existing">Assignments already made, in any order; they are never moved. Duplicates count once.
    /// Ones for responses not in <paramref name="responseIds"/> are ignored; ones for raters not in
    /// <paramref name="raterIds"/> still cover their response (remove those that should be redone before
    /// planning) but count towards no load or pair.</param>
    /// <param name="seed">Seeds the tie-breaking; the same inputs and seed give the same plan.</param>
    /// <param name="barred">Rater and response pairs never to plan (a rater who has seen others' values for the
    /// response); a response with too few other raters stays short of its target.</param>
    public static IReadOnlyList<Assignment> Plan(
        IReadOnlyList<long> responseIds,
        IReadOnlyList<long> raterIds,
        int ratersPerResponse,
        IReadOnlyCollection<Assignment> existing,
        ulong seed,
        IReadOnlyCollection<Assignment>? barred = null)
    {
        ArgumentNullException.ThrowIfNull(responseIds);
        ArgumentNullException.ThrowIfNull(raterIds);
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentOutOfRangeException.ThrowIfLessThan(ratersPerResponse, 1);

        var n = responseIds.Count;
        var raters = raterIds.ToArray();
        Array.Sort(raters);
        var r = raters.Length;
        var raterIndex = new Dictionary<long, int>(r);
        for (var i = 0; i < r; i++)
            if (!raterIndex.TryAdd(raters[i], i)) throw new ArgumentException($"Rater {raters[i]} is listed twice.", nameof(raterIds));
        var responseIndex = new Dictionary<long, int>(n);
        for (var i = 0; i < n; i++)
            if (!responseIndex.TryAdd(responseIds[i], i)) throw new ArgumentException($"Response {responseIds[i]} is listed twice.", nameof(responseIds));
        if (r == 0 || n == 0) return [];

        var state = new State(n, r);
        state.Load(existing, responseIndex, raterIndex);
        var barredRaters = new Dictionary<int, List<int>>();
        foreach (var pair in barred ?? [])
            if (responseIndex.TryGetValue(pair.ResponseId, out var u) && raterIndex.TryGetValue(pair.RaterId, out var j))
                (barredRaters.TryGetValue(u, out var list) ? list : barredRaters[u] = []).Add(j);

        var target = Math.Min(ratersPerResponse, r);
        var added = new List<Assignment>((int)Math.Clamp((long)n * target - existing.Count, 0, Array.MaxLength));
        var random = new SplitMix64(seed);
        var rank = new int[r];
        var order = new int[r];
        var chosen = new int[target];
        // Partly covered responses have fewer eligible raters, so they go first while the empty ones can still even
        // out the loads they skew.
        for (var pass = 0; pass < 2; pass++)
            for (var u = 0; u < n; u++)
            {
                var covered = state.Covered(u);
                if (covered >= target || (pass == 0) != (covered > 0)) continue;
                for (var i = 0; i < r; i++) order[i] = i;
                random.Shuffle(order.AsSpan());
                for (var i = 0; i < r; i++) rank[order[i]] = i;
                var slots = chosen.AsSpan(0, target - covered);
                var filled = state.Fill(u, rank, slots, barredRaters.GetValueOrDefault(u));
                foreach (var j in slots[..filled]) added.Add(new Assignment(responseIds[u], raters[j]));
            }
        return added;
    }

    /// <summary>Loads, pair counts and who is on which response, in rater and response indices.</summary>
    sealed class State(int responses, int raters)
    {
        readonly int[] _load = new int[raters];
        readonly int[] _pairs = new int[raters * raters];
        readonly int[] _score = new int[raters];
        readonly int[] _onResponse = new int[raters];   // the response index + 1 that last stamped each rater
        readonly int[] _barred = new int[raters];       // the response index + 1 that last barred each rater
        readonly int[] _start = new int[responses + 1]; // CSR: in-pool existing raters of response u are
        int[] _members = [];                            //   _members[_start[u] .. _start[u] + _count[u])
        readonly int[] _count = new int[responses];
        readonly int[] _outside = new int[responses];   // distinct raters outside the pool on the response

        public int Covered(int u) => _count[u] + _outside[u];

        public void Load(IReadOnlyCollection<Assignment> existing, Dictionary<long, int> responseIndex, Dictionary<long, int> raterIndex)
        {
            HashSet<(int, long)>? outside = null;
            foreach (var a in existing)
                if (responseIndex.TryGetValue(a.ResponseId, out var u))
                {
                    if (raterIndex.ContainsKey(a.RaterId)) _start[u + 1]++;
                    else if ((outside ??= []).Add((u, a.RaterId))) _outside[u]++;
                }
            for (var u = 0; u < responses; u++) _start[u + 1] += _start[u];
            _members = new int[_start[responses]];
            foreach (var a in existing)
                if (responseIndex.TryGetValue(a.ResponseId, out var u) && raterIndex.TryGetValue(a.RaterId, out var j))
                    _members[_start[u] + _count[u]++] = j;
            for (var u = 0; u < responses; u++)
            {
                // Drop duplicates in place, then count load and pairs.
                var from = _start[u];
                var kept = 0;
                for (var i = 0; i < _count[u]; i++)
                {
                    var j = _members[from + i];
                    if (_onResponse[j] == u + 1) continue;
                    _onResponse[j] = u + 1;
                    _members[from + kept++] = j;
                }
                _count[u] = kept;
                for (var i = 0; i < kept; i++)
                {
                    var a = _members[from + i];
                    _load[a]++;
                    for (var m = 0; m < i; m++) AddPair(a, _members[from + m]);
                }
            }
            Array.Clear(_onResponse);
        }

        /// <summary>Chooses as many more raters for response <paramref name="u"/> as <paramref name="chosen"/> holds, none
        /// of <paramref name="barred"/>; returns how many it found.</summary>
        public int Fill(int u, int[] rank, Span<int> chosen, List<int>? barred)
        {
            Array.Clear(_score);
            var stamp = u + 1;
            for (var i = _start[u]; i < _start[u] + _count[u]; i++) Join(_members[i], stamp);
            foreach (var j in barred ?? []) _barred[j] = stamp;
            for (var s = 0; s < chosen.Length; s++)
            {
                var best = -1;
                for (var c = 0; c < raters; c++)
                {
                    if (_onResponse[c] == stamp || _barred[c] == stamp) continue;
                    if (best < 0 || _load[c] < _load[best]
                        || (_load[c] == _load[best] && (_score[c] < _score[best] || (_score[c] == _score[best] && rank[c] < rank[best]))))
                        best = c;
                }
                if (best < 0) return s;
                // Pairs with the raters already on the response, before best joins them.
                for (var c = 0; c < raters; c++)
                    if (_onResponse[c] == stamp) AddPair(best, c);
                _load[best]++;
                Join(best, stamp);
                chosen[s] = best;
            }
            return chosen.Length;
        }

        void Join(int rater, int stamp)
        {
            _onResponse[rater] = stamp;
            var row = _pairs.AsSpan(rater * raters, raters);
            for (var c = 0; c < raters; c++) _score[c] += row[c];
        }

        void AddPair(int a, int b)
        {
            _pairs[a * raters + b]++;
            _pairs[b * raters + a]++;
        }
    }
}
