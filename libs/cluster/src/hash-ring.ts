import { murmur3 } from './murmur3';

/**
 * Rendezvous (highest-random-weight) hashing over the live doc-service
 * instances. Every gateway and doc-service that sees the same member set
 * computes the same owner for every document, with no coordination.
 *
 * Why rendezvous and not a ring of virtual nodes: when a member joins or
 * leaves, exactly the documents whose top-scoring member changed move (about
 * 1/N of them), the spread is even without tuning a virtual-node count, and
 * with the handful of instances a deployment runs, scoring every member per
 * lookup is cheaper than it sounds (and owners are memoized per ring).
 */
export class HashRing {
  readonly members: readonly string[];
  private readonly seeds: Uint32Array;
  private readonly owners = new Map<string, string>();
  private static readonly MEMO_LIMIT = 50_000;

  constructor(members: Iterable<string>) {
    this.members = [...new Set(members)].sort();
    this.seeds = Uint32Array.from(this.members, (member) => murmur3(member, 0x9747b28c));
  }

  get size(): number {
    return this.members.length;
  }

  has(member: string): boolean {
    return this.members.includes(member);
  }

  /** The member that owns `key`, or undefined when the ring is empty. */
  ownerOf(key: string): string | undefined {
    const memo = this.owners.get(key);
    if (memo !== undefined) return memo;
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < this.members.length; i++) {
      const score = murmur3(key, this.seeds[i]);
      // Ties are broken by the sorted member order, so every process agrees.
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) return undefined;
    const owner = this.members[best];
    if (this.owners.size >= HashRing.MEMO_LIMIT) this.owners.clear();
    this.owners.set(key, owner);
    return owner;
  }

  /** True when both rings hold exactly the same members. */
  sameMembers(other: HashRing): boolean {
    return (
      this.members.length === other.members.length && this.members.every((m, i) => m === other.members[i])
    );
  }
}
