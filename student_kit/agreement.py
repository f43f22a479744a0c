"""The agreement task of lecture 001, as data: "The cat that chased the mouse ... was hungry."

A sentence starts with a subject, singular or plural ("the cat" / "the cats"), then k filler
words, made of relative clauses like the lecture's ("that chased the mouse", "that sat on the
table"), then the verb, which must agree with the subject: "was" or "were". A model reads
"the", the subject and the k fillers, and predicts the verb from its last hidden state h_T.
The fillers hold nouns of both numbers ("the mice", "the table"), chosen independently of the
subject. With k <= 3 fillers they hold no noun yet, and the noun nearest to the verb is the
subject; at k = 4 it has the subject's number in about 62 % of sentences, from k = 5 on in about
half. Only the subject, k + 1 words before the verb, always says which verb is right.

    x, y = agreement_data(k=13, size=4, seed=0)   # x (T, B, V) one-hot, T = k + 2; y (B,) 0 or 1
    render(words_of(x), y)                       # the four sentences in words

Everything is deterministic given the seed. numpy only: this module is given to students.
"""

import numpy as np

VERBS = ("was", "were")  # y = 0: singular, "was"; y = 1: plural, "were"

# (singular, plural): the subjects, and the nouns that may appear inside the fillers
SUBJECTS = (("cat", "cats"), ("dog", "dogs"), ("rat", "rats"), ("mouse", "mice"))
OBJECTS = SUBJECTS + (("table", "tables"), ("mat", "mats"), ("cheese", "cheeses"))
TRANSITIVE = ("chased", "ate", "saw", "bit")

VOCABULARY = ("the", "that", *TRANSITIVE, "sat", "on", *sorted({w for pair in OBJECTS for w in pair}))
INDEX = {word: index for index, word in enumerate(VOCABULARY)}

# Lecture 001's sentence, up to the verb; between "cat" and "was" are k = 13 filler words.
LECTURE_SENTENCE = "the cat that chased the mouse that ate the cheese that sat on the table".split()


GAP = -1  # an empty slot: "that <verb> the <noun>" is one word shorter than "that sat on the <noun>"
NOUNS = np.array([[INDEX[w] for w in pair] for pair in OBJECTS])  # (nouns, 2): singular, plural


def fillers(k, size, rng):
    """(size, k) word indices: relative clauses, "that <verb> the <noun>" (3 in 4) or "that sat
    on the <noun>" (1 in 4), one after another, cut after the k-th word."""
    shape = (size, k // 4 + 1)  # enough clauses for k words
    sat = rng.random(shape) < 0.25
    verb = np.array([INDEX[v] for v in TRANSITIVE])[rng.integers(len(TRANSITIVE), size=shape)]
    noun = NOUNS[rng.integers(len(OBJECTS), size=shape), rng.integers(2, size=shape)]
    that, the = np.full(shape, INDEX["that"]), np.full(shape, INDEX["the"])
    slots = np.stack(
        [
            that,
            np.where(sat, INDEX["sat"], verb),
            np.where(sat, INDEX["on"], the),
            np.where(sat, the, noun),
            np.where(sat, noun, GAP),
        ],
        axis=-1,
    )
    flat = slots.reshape(size, -1)
    # close the gaps, keeping the words in order (a stable sort moves only the gaps, to the end)
    order = np.argsort(flat == GAP, axis=1, kind="stable")
    return np.take_along_axis(flat, order, axis=1)[:, :k]


def sentences(k: int, size: int, seed) -> tuple[np.ndarray, np.ndarray]:
    """(words (T, B) word indices, T = k + 2, time first; y (B,) 0 for "was", 1 for "were").

    Sentence b is "the <subject> <k fillers>", the subject plural when y[b] = 1.
    """
    if int(k) != k or k < 0:
        raise ValueError(f"k is the number of filler words, a whole number >= 0; got {k!r}.")
    if int(size) != size or size < 1:
        raise ValueError(f"size is the number of sentences, a whole number >= 1; got {size!r}.")
    k, size = int(k), int(size)
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size)
    subjects = NOUNS[rng.integers(len(SUBJECTS), size=size), y]  # SUBJECTS are OBJECTS' first rows
    words = np.column_stack([np.full(size, INDEX["the"]), subjects, fillers(k, size, rng)])
    return words.T, y


def one_hot(words, dtype=np.float64):
    """x (T, B, V) from word indices (T, B): x[t, b] is 1 at words[t, b], 0 elsewhere."""
    return np.eye(len(VOCABULARY), dtype=dtype)[np.asarray(words)]


def agreement_data(k: int, size: int, seed, dtype: type = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """(x (T, B, V) one-hot, y (B,)): `size` sentences with k filler words, T = k + 2."""
    words, y = sentences(k, size, seed)
    return one_hot(words, dtype), y


def heldout_seed(k: int, salt: int = 0) -> tuple[int, int, int]:
    """The seed of held-out sentences with k fillers: three numbers, which no training seed
    (seed, step) is. The grader keeps its own salt to itself."""
    return (7919, k, salt)


def heldout_verdict(right: int, size: int, k: int, min_accuracy: float) -> tuple[bool, str]:
    """(passed, message) for a model that predicts `right` of `size` held-out verbs at distance k.
    The message gives the count and the share of sentences, never a percentage rounded across the
    pass mark: 1899 of 2000 is 94.95 %, which does not reach 95 %, though it would print as 95.0."""
    needed = int(np.ceil(min_accuracy * size - 1e-9))
    passed = right >= needed
    share = f"{100 * right / size:.2f}".rstrip("0").rstrip(".")
    return passed, (
        f"your LSTM predicts the verb of {right} of {size} new sentences with k = {k} ({share} %); "
        f"it {'passes' if passed else 'does not reach'} the {100 * min_accuracy:g} % needed "
        f"({needed} of {size})."
    )


def words_of(x):
    """Word indices (T, B) back from one-hot x (T, B, V)."""
    return np.argmax(x, axis=-1)


def encode(sentence):
    """Word indices (T, 1) of one sentence given as a list of words (lower case)."""
    unknown = [w for w in sentence if w not in INDEX]
    if unknown:
        raise ValueError(f"{unknown} not in the task's vocabulary {VOCABULARY}.")
    return np.array([[INDEX[w]] for w in sentence])


def render(words, y=None, limit=5):
    """The first `limit` sentences of words (T, B) as text, with their verb when y is given."""
    words = np.asarray(words)
    lines = []
    for b in range(min(limit, words.shape[1])):
        text = " ".join(VOCABULARY[i] for i in words[:, b])
        lines.append(text if y is None else f"{text} {VERBS[int(y[b])]}")
    return lines
