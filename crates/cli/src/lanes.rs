//! The text graph `history --graph` draws beside the revisions: one lane per line of
//! descent, `*` for the revision on a row, `|` for lanes passing by, `\` where a merge
//! opens a lane for another parent and `/` where a lane joins the one that carries the
//! same parent (a branch point), `X` where two moving lanes cross in one place. The
//! revisions come newest first, every child before its parents; the drawing never
//! reads the graph itself, so it is tested on lists.

/// The lanes open between rows: the revision each one leads down to.
#[derive(Debug, Default)]
pub struct Lanes<'a> {
    open: Vec<&'a str>,
    /// The column the last row closed without moving the lanes right of it (a root
    /// at the right edge): a head opened there next would read as its parent.
    closed: Option<usize>,
}

/// What to print for one revision.
#[derive(Debug, PartialEq, Eq)]
pub struct Row {
    /// A line that leaves the revision's column empty above it, when the row before
    /// ended a line of descent in that column (a separate history follows).
    pub gap: Option<String>,
    /// The lanes on the revision's own line, `*` marking it; padded to the width of
    /// the row so that the text beside it starts in one column.
    pub mark: String,
    /// The same lanes for lines printed under the revision (its details), the
    /// revision's lane continuing only if it has parents.
    pub body: String,
    /// The lines that move the lanes to where the next row needs them; often none.
    pub moves: Vec<String>,
}

impl<'a> Lanes<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// The row for `id`, whose parents (among the revisions drawn, in the file's
    /// order) are `parents`. A revision no open lane leads to is a head: it opens a
    /// lane at the right.
    pub fn row(&mut self, id: &'a str, parents: &[&'a str]) -> Row {
        let mut gap = None;
        let col = match self.open.iter().position(|&o| o == id) {
            Some(c) => c,
            None => {
                self.open.push(id);
                let c = self.open.len() - 1;
                if self.closed == Some(c) {
                    gap = Some("| ".repeat(c).trim_end().to_string());
                }
                c
            }
        };
        let before = self.open.len();
        let cells = |own: char| -> String {
            (0..before)
                .map(|i| if i == col { own } else { '|' })
                .flat_map(|c| [c, ' '])
                .collect()
        };
        let mark = cells('*');
        let body = cells(if parents.is_empty() { ' ' } else { '|' });

        // The first parent not yet on a lane takes this lane; the others open lanes
        // right of it; a parent already on a lane is reached by joining that lane.
        // A first parent on a lane further right moves into this one instead: the
        // lanes between then stay where they are, and no lane moving left crosses
        // this one moving right.
        let mut fresh: Vec<&'a str> = Vec::new();
        let mut rest: Vec<&'a str> = self.open[col + 1..].to_vec();
        for (k, &p) in parents.iter().enumerate() {
            if k == 0
                && let Some(j) = rest.iter().position(|&o| o == p)
            {
                rest.remove(j);
                fresh.push(p);
                continue;
            }
            if !self.open.contains(&p) && !fresh.contains(&p) {
                fresh.push(p);
            }
        }
        let mut next: Vec<&'a str> = Vec::with_capacity(before + fresh.len());
        next.extend_from_slice(&self.open[..col]);
        next.extend_from_slice(&fresh);
        next.extend_from_slice(&rest);
        let at = |rev: &str| {
            next.iter()
                .position(|&n| n == rev)
                .expect("every lane and parent is in the next lanes")
        };
        let mut edges: Vec<(usize, usize)> = Vec::with_capacity(before + parents.len());
        for (i, &o) in self.open.iter().enumerate() {
            if i != col {
                edges.push((i, at(o)));
            }
        }
        for &p in parents {
            edges.push((col, at(p)));
        }
        let moves = moves(&edges, before.max(next.len()));
        self.closed = (parents.is_empty() && col + 1 == before).then_some(col);
        self.open = next;
        Row {
            gap,
            mark,
            body,
            moves,
        }
    }
}

/// The lines that take each edge `(from, to)` one column per line to its lane.
fn moves(edges: &[(usize, usize)], width: usize) -> Vec<String> {
    let steps = edges.iter().map(|&(f, t)| f.abs_diff(t)).max().unwrap_or(0);
    (0..steps)
        .map(|s| {
            let mut line = vec![b' '; 2 * width];
            for &(f, t) in edges {
                if f.abs_diff(t) <= s {
                    line[2 * t] = b'|';
                } else {
                    // A lane moving left and one moving right through the same cell
                    // cross there.
                    let (at, c) = if t < f {
                        (2 * (f - s) - 1, b'/')
                    } else {
                        (2 * (f + s) + 1, b'\\')
                    };
                    line[at] = match line[at] {
                        b' ' => c,
                        seen if seen == c => c,
                        _ => b'X',
                    };
                }
            }
            let text = String::from_utf8(line).expect("the drawing is ASCII");
            text.trim_end().to_string()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Draws `revs` (id, parents), newest first, as `history --graph` would, with the
    /// id beside each row.
    fn draw(revs: &[(&str, &[&str])]) -> String {
        let mut lanes = Lanes::new();
        let mut out = String::new();
        for (id, parents) in revs {
            let row = lanes.row(id, parents);
            if let Some(gap) = row.gap {
                out.push_str(&format!("{gap}\n"));
            }
            out.push_str(&format!("{}{id}\n", row.mark));
            for m in row.moves {
                out.push_str(&m);
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn a_line_is_one_lane() {
        assert_eq!(
            draw(&[("c", &["b"]), ("b", &["a"]), ("a", &[])]),
            "* c\n* b\n* a\n"
        );
    }

    #[test]
    fn a_fork_and_its_merge() {
        let drawn = draw(&[("m", &["x", "y"]), ("y", &["a"]), ("x", &["a"]), ("a", &[])]);
        assert_eq!(drawn, "* m\n|\\\n| * y\n* | x\n|/\n* a\n", "\n{drawn}");
    }

    #[test]
    fn two_heads_and_interleaved_branches() {
        let drawn = draw(&[
            ("y2", &["y1"]),
            ("x2", &["x1"]),
            ("y1", &["a"]),
            ("x1", &["a"]),
            ("a", &[]),
        ]);
        assert_eq!(
            drawn, "* y2\n| * x2\n* | y1\n| * x1\n|/\n* a\n",
            "\n{drawn}"
        );
    }

    #[test]
    fn a_lane_joining_across_another_crosses_it_step_by_step() {
        // b and d both descend from a; c, on the middle lane, from its own root.
        let drawn = draw(&[
            ("b", &["a"]),
            ("c", &["r"]),
            ("d", &["a"]),
            ("a", &[]),
            ("r", &[]),
        ]);
        assert_eq!(
            drawn, "* b\n| * c\n| | * d\n| |/\n|/|\n* | a\n /\n* r\n",
            "\n{drawn}"
        );
    }

    // A first parent two lanes to the right used to stay there while the lane between
    // moved left under the joining edge, drawn as one `\` where the two crossed.
    #[test]
    fn a_first_parent_further_right_moves_into_the_childs_lane() {
        let drawn = draw(&[
            ("h1", &["c"]),
            ("h2", &["b"]),
            ("h3", &["a"]),
            ("c", &["a"]),
            ("b", &["a"]),
            ("a", &[]),
        ]);
        assert_eq!(
            drawn, "* h1\n| * h2\n| | * h3\n* | | c\n| |/\n|/|\n| * b\n|/\n* a\n",
            "\n{drawn}"
        );
    }

    #[test]
    fn a_root_in_the_middle_closes_its_lane() {
        // Separate histories in one column are kept apart by a gap: else the root
        // above would read as the child of the head below.
        let drawn = draw(&[("x", &[]), ("y", &[]), ("z", &[])]);
        assert_eq!(drawn, "* x\n\n* y\n\n* z\n", "\n{drawn}");
        let drawn = draw(&[("b2", &["b1"]), ("b1", &[]), ("a2", &["a1"]), ("a1", &[])]);
        assert_eq!(drawn, "* b2\n* b1\n\n* a2\n* a1\n", "\n{drawn}");
        let drawn = draw(&[("h", &["r"]), ("y", &[]), ("z", &[]), ("r", &[])]);
        assert_eq!(drawn, "* h\n| * y\n|\n| * z\n* r\n", "\n{drawn}");
        let drawn = draw(&[("h1", &["r1"]), ("h2", &["r2"]), ("r1", &[]), ("r2", &[])]);
        assert_eq!(drawn, "* h1\n| * h2\n* | r1\n /\n* r2\n", "\n{drawn}");
    }

    #[test]
    fn an_octopus_merge_opens_a_lane_per_parent() {
        let drawn = draw(&[
            ("m", &["a", "b", "c"]),
            ("c", &["r"]),
            ("b", &["r"]),
            ("a", &["r"]),
            ("r", &[]),
        ]);
        assert_eq!(
            drawn, "* m\n|\\\n| |\\\n| | * c\n| * | b\n| |/\n* | a\n|/\n* r\n",
            "\n{drawn}"
        );
    }

    /// Random graphs (a fixed-seed generator, so a failure repeats): every row has
    /// one `*`, only heads open lanes, the open lanes stay distinct, the move lines
    /// keep within the width, and every lane is closed after the last root.
    #[test]
    fn random_graphs_keep_the_lane_invariants() {
        let mut seed: u64 = 0x5eed;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        for _ in 0..500 {
            let n = 1 + next(40);
            let ids: Vec<String> = (0..n).map(|i| format!("r{i}")).collect();
            // Revision i's parents come before it: ids listed oldest first.
            let parents: Vec<Vec<&str>> = (0..n)
                .map(|i| {
                    let mut ps = Vec::new();
                    if i > 0 && next(6) != 0 {
                        for _ in 0..1 + next(3) {
                            let p = ids[next(i)].as_str();
                            if !ps.contains(&p) {
                                ps.push(p);
                            }
                        }
                    }
                    ps
                })
                .collect();
            let has_child = |i: usize| parents.iter().any(|ps| ps.contains(&ids[i].as_str()));
            let mut lanes = Lanes::new();
            for i in (0..n).rev() {
                let open_before = lanes.open.len();
                let row = lanes.row(&ids[i], &parents[i]);
                assert_eq!(row.mark.matches('*').count(), 1, "{row:?}");
                let width = row.mark.len() / 2;
                let opened = usize::from(!has_child(i));
                assert_eq!(width, open_before + opened, "r{i}: {parents:?}");
                let mut seen = lanes.open.clone();
                seen.sort_unstable();
                seen.dedup();
                assert_eq!(seen.len(), lanes.open.len(), "{:?}", lanes.open);
                for line in &row.moves {
                    assert!(line.len() <= 2 * width.max(lanes.open.len()), "{line:?}");
                    assert!(line.chars().all(|c| " |/\\X".contains(c)), "{line:?}");
                }
            }
            assert!(lanes.open.is_empty(), "{:?}", lanes.open);
        }
    }

    #[test]
    fn the_body_continues_only_lanes_that_go_on() {
        let mut lanes = Lanes::new();
        let row = lanes.row("h", &["r"]);
        assert_eq!((row.mark.as_str(), row.body.as_str()), ("* ", "| "));
        let row = lanes.row("r", &[]);
        assert_eq!((row.mark.as_str(), row.body.as_str()), ("* ", "  "));
    }
}
