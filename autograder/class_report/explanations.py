"""For the instructor: what each mistake the grader names means, in English and Korean.

One entry per diagnosis id (a key of :mod:`selfcheck.messages` that the checks attach to a
failed check, see :class:`selfcheck.diagnosis.Diagnosis`): a short title, a paragraph on
the misconception behind it and what to teach, and its *kind*, which decides whether it
counts as a fundamental mistake when the report picks the students who need help.
``tests/test_class_report.py`` checks that every id the grader can name is here, in every
language of the assignment. Korean terms follow the book's Korean edition (순전파, 역전파,
기울기, 국소적 미분, 연쇄법칙, 형상, 배치).
"""

from dataclasses import dataclass

from selfcheck.assignment import DEFAULT_LANGUAGE

# Kinds of mistake. CONCEPT and NOT_BACKPROP are fundamental: the student has not yet
# understood backpropagation itself (the chain rule, local derivatives, the batch, the
# walk back through the graph); CODE is a slip in Python or numpy; the others are neither.
CONCEPT = "concept"
NOT_BACKPROP = "not backprop"
CODE = "code"
TRAINING = "training"
NOT_WRITTEN = "not written"  # the stub left as released: counted apart, never ranked
CRASH = "crash"  # the method raised: generic, dropped when the same check names more
FUNDAMENTAL = (CONCEPT, NOT_BACKPROP)


@dataclass(frozen=True)
class Explanation:
    kind: str
    title: dict  # language -> a few words
    text: dict  # language -> one paragraph for the instructor

    def in_language(self, lang):
        """(title, paragraph) in ``lang``, English where it has none."""
        return (self.title.get(lang, self.title[DEFAULT_LANGUAGE]),
                self.text.get(lang, self.text[DEFAULT_LANGUAGE]))


def _e(kind, en, ko):
    """An Explanation from (title, paragraph) pairs per language."""
    return Explanation(kind, {"en": en[0], "ko": ko[0]}, {"en": en[1], "ko": ko[1]})


EXPLANATIONS = {
    # --- the stub, crashes, returns ------------------------------------------------------
    "not_written": _e(NOT_WRITTEN, (
        "left as released",
        "The student never replaced the stub's raise NotImplementedError: the part was not "
        "attempted. Many untouched parts late in the notebook usually mean time ran out, "
        "not a misconception."), (
        "작성하지 않음",
        "배포된 코드의 raise NotImplementedError를 그대로 두었습니다. 시도하지 않은 "
        "부분입니다. 노트북 뒷부분이 여러 개 비어 있다면 대개 오해보다는 시간이 부족했던 "
        "것입니다.")),
    "raised": _e(CRASH, (
        "the method raised an error",
        "The student's code raised an exception (a shape mismatch, a name error, ...) that "
        "the grader could not trace to a known mistake. The feedback shows the student's own "
        "line; these are usually numpy shape slips worth a look in office hours."), (
        "메서드에서 예외 발생",
        "학생 코드에서 예외(형상 불일치, 이름 오류 등)가 발생했고, 채점기가 알려진 실수로 "
        "특정하지 못했습니다. 피드백에는 학생 코드의 해당 줄이 나옵니다. 대개 numpy 형상 "
        "실수이니 면담 때 함께 보면 좋습니다.")),
    "returned_none": _e(CODE, (
        "return missing",
        "The method computes its result but never returns it (or forward does not return "
        "its output). A Python slip, not a backprop one; a reminder that backward must hand "
        "dx to the layer below fixes it."), (
        "return 누락",
        "결과를 계산하고 반환하지 않았습니다(또는 forward가 출력을 반환하지 않음). 역전파가 "
        "아니라 파이썬의 실수입니다. backward는 dx를 아래 계층에 넘겨야 한다는 점을 "
        "상기시키면 됩니다.")),
    "name_not_defined": _e(CODE, (
        "uses a variable of another cell",
        "The method uses a name its own code never defines, usually a variable of a visible "
        "check's cell (the x of relu.forward(x), say): it works in the notebook, where that "
        "cell ran, and fails in the checks, which run the layer alone. backward may use "
        "only dout and what forward stored on self; a moment to show that a layer carries "
        "its own state from forward to backward."), (
        "다른 셀의 변수를 씀",
        "메서드가 자기 코드에서 정의하지 않은 이름을 씁니다. 대개 보이는 검사 셀의 변수"
        "(relu.forward(x)의 x 등)입니다. 그 셀을 실행한 노트북에서는 동작하지만, 계층만 따로 "
        "실행하는 검사에서는 실패합니다. backward는 dout과 순전파가 self에 저장한 값만 쓸 "
        "수 있습니다. 계층이 순전파에서 역전파로 자기 상태를 넘긴다는 점을 보여 줄 기회입니다.")),
    "gradient_none": _e(CODE, (
        "network: gradients read before backward",
        "The dict of gradients holds None: it was built from the layers' dW and db before "
        "the backward walk (which the dict then never sees: its entries are the values the "
        "attributes held at that moment), or a return is missing. A lesson in Python names "
        "and values rather than in backprop."), (
        "신경망: 역전파 전에 읽은 기울기",
        "기울기 딕셔너리에 None이 들어 있습니다. 역전파 순회 전에 계층의 dW와 db로 "
        "딕셔너리를 만들었거나(딕셔너리에는 그 순간 속성이 가진 값이 들어가서 순회 결과가 "
        "반영되지 않습니다) return을 빠뜨렸습니다. 역전파보다는 파이썬의 이름과 값에 관한 "
        "실수입니다.")),
    "not_pair": _e(CODE, (
        "one gradient instead of (dx, dy)",
        "A two-input node must return the gradient of each input, as a pair. Returning only "
        "one means the student sees backward as 'the' gradient rather than one per input: "
        "draw the node with both input edges."), (
        "(dx, dy) 대신 기울기 하나",
        "입력이 둘인 노드는 각 입력의 기울기를 쌍으로 반환해야 합니다. 하나만 반환한 것은 "
        "backward를 입력마다의 기울기가 아니라 '하나의' 기울기로 본 것입니다. 입력 간선 두 "
        "개가 있는 노드를 그려 보이세요.")),
    "low_precision": _e(CODE, (
        "gradient rounded to float32",
        "The gradient is right but cast to float32 (or float16), usually because the network "
        "trains in float32. The checks pass float64 arrays, and a rounded gradient cannot be "
        "told from finite differences. Explain that a layer computes in its inputs' dtype: "
        "the float32 network gets float32 gradients without any cast."), (
        "float32로 반올림한 기울기",
        "기울기는 맞지만 float32(또는 float16)로 바꿨습니다. 대개 신경망이 float32로 학습하기 "
        "때문입니다. 검사는 float64 배열을 넘기며, 반올림한 기울기는 수치 미분과 구별할 수 "
        "없습니다. 계층은 입력의 자료형으로 계산하므로 float32 신경망은 바꾸지 않아도 float32 "
        "기울기를 얻는다고 설명하세요.")),
    "not_float": _e(CODE, (
        "gradient in a boolean or integer array",
        "The gradient was written into an array of booleans or integers, typically "
        "np.zeros_like(self.mask) filled with dout: zeros_like copies its argument's dtype, "
        "so the values became True/False or lost their fractions. A numpy dtype lesson: "
        "start from np.zeros_like(dout) or dout.copy()."), (
        "불리언이나 정수 배열에 담은 기울기",
        "기울기를 불리언이나 정수 배열에 담았습니다. 대개 np.zeros_like(self.mask)에 dout을 "
        "채운 경우로, zeros_like는 인수의 자료형을 따르므로 값이 True/False가 되거나 소수 "
        "부분을 잃습니다. numpy 자료형을 가르칠 기회입니다. np.zeros_like(dout)나 "
        "dout.copy()에서 시작하게 하세요.")),
    "attribute_not_set": _e(CODE, (
        "parameter gradient not stored",
        "Affine.backward computed dW or db in a local variable instead of self.dW / self.db, "
        "so the network never sees it. Explain that a layer keeps its parameters' gradients "
        "for the optimizer to read."), (
        "매개변수 기울기를 저장하지 않음",
        "Affine.backward가 dW나 db를 self.dW / self.db가 아니라 지역 변수에 계산해서 "
        "신경망이 읽을 수 없습니다. 계층은 옵티마이저가 읽을 수 있도록 매개변수의 기울기를 "
        "보관한다는 점을 설명하세요.")),
    # --- the chain rule and local derivatives ---------------------------------------------
    "mul_not_swapped": _e(CONCEPT, (
        "multiplication: inputs not swapped",
        "For z = x·y the local derivative with respect to x is y and vice versa; the "
        "student multiplied dout by the same input. Revisit the apple example: the "
        "gradient of the price with respect to the apple count is the unit price."), (
        "곱셈 노드: 입력을 바꾸지 않음",
        "z = x·y에서 x에 대한 국소적 미분은 y이고 그 반대도 마찬가지인데, 학생은 dout에 같은 "
        "입력을 곱했습니다. 사과 예제로 돌아가 보세요. 사과 개수에 대한 가격의 기울기는 "
        "사과 한 개의 가격입니다.")),
    "mul_forgot_dout": _e(CONCEPT, (
        "multiplication: dout dropped",
        "The local derivative was returned without multiplying by the upstream gradient: "
        "the chain rule itself is missing. Show a chain of two nodes, where the upstream "
        "gradient is not 1."), (
        "곱셈 노드: dout 누락",
        "상류에서 온 기울기를 곱하지 않고 국소적 미분만 반환했습니다. 연쇄법칙 자체가 "
        "빠졌습니다. 상류 기울기가 1이 아닌, 노드 두 개짜리 사슬을 보여 주세요.")),
    "add_split_dout": _e(CONCEPT, (
        "addition: dout split in half",
        "The student divided dout between the two inputs, as if the gradient were a "
        "quantity to share. The local derivative of x + y is 1 for each input, so each "
        "gets all of dout: compare with the apples-and-oranges graph."), (
        "덧셈 노드: dout을 반으로 나눔",
        "기울기를 나눠 가지는 양처럼 보고 dout을 두 입력에 나눴습니다. x + y의 국소적 "
        "미분은 입력마다 1이므로 각 입력이 dout 전부를 받습니다. 사과와 귤 그래프와 "
        "비교해 보세요.")),
    "relu_mask_inverted": _e(CONCEPT, (
        "ReLU: mask inverted",
        "dout was let through where x <= 0 and blocked where x > 0 (often dout[~mask] = 0, "
        "or dout * mask with the book's mask). The book's mask marks the units to zero, "
        "which confuses many: draw ReLU's derivative, 1 for x > 0 and 0 elsewhere."), (
        "ReLU: 마스크가 반대",
        "x <= 0인 곳에서 dout을 통과시키고 x > 0인 곳에서 막았습니다(dout[~mask] = 0, 또는 "
        "책의 마스크로 dout * mask). 책의 mask는 0으로 만들 원소를 표시한다는 점이 헷갈리기 "
        "쉽습니다. ReLU의 미분(x > 0에서 1, 그 밖에서 0)을 그려 보이세요.")),
    "relu_mask_from_dout": _e(CONCEPT, (
        "ReLU: mask taken from dout",
        "The student zeroed dout where dout itself is negative, not where the forward "
        "input was. The local derivative depends on what the node saw in the forward "
        "pass: that is why layers keep state between forward and backward."), (
        "ReLU: dout으로 마스크를 만듦",
        "순전파 입력이 아니라 dout 자체가 음수인 곳을 0으로 만들었습니다. 국소적 미분은 "
        "노드가 순전파에서 본 값에 달려 있습니다. 그래서 계층이 순전파와 역전파 사이에 "
        "상태를 보관합니다.")),
    "relu_forgot_dout": _e(CONCEPT, (
        "ReLU: dx is the mask",
        "dx is the local derivative (the 0/1 mask) alone, not multiplied by dout: the chain "
        "rule is missing, as in 'multiplication: dout dropped'."), (
        "ReLU: dx가 마스크 자체",
        "dx가 dout을 곱하지 않은 국소적 미분(0/1 마스크)뿐입니다. '곱셈 노드: dout 누락'과 "
        "마찬가지로 연쇄법칙이 빠졌습니다.")),
    "relu_unmasked": _e(CONCEPT, (
        "ReLU: dout passed unchanged",
        "dx = dout everywhere: the student treats ReLU as the identity on the way back. "
        "Ask what a unit that output 0 contributed to the loss."), (
        "ReLU: dout을 그대로 전달",
        "모든 곳에서 dx = dout입니다. 역전파에서 ReLU를 항등 함수로 본 것입니다. 0을 출력한 "
        "뉴런이 손실에 얼마나 기여했는지 물어보세요.")),
    "sigmoid_missing_one_minus_y": _e(CONCEPT, (
        "sigmoid: (1 - y) missing",
        "The sigmoid's derivative is y(1 - y); the student kept only y. Deriving it once on "
        "the board from the node-by-node graph (exp, +, /) makes it stick."), (
        "시그모이드: (1 - y) 누락",
        "시그모이드의 미분은 y(1 - y)인데 y만 남겼습니다. 노드별 그래프(exp, +, /)로 칠판에서 "
        "한 번 유도해 보이면 오래 기억합니다.")),
    "sigmoid_missing_y": _e(CONCEPT, (
        "sigmoid: y missing",
        "Only (1 - y) was kept of the derivative y(1 - y); as for the missing (1 - y), "
        "derive it from the node-by-node graph."), (
        "시그모이드: y 누락",
        "미분 y(1 - y) 가운데 (1 - y)만 남겼습니다. (1 - y) 누락과 마찬가지로 노드별 "
        "그래프에서 유도해 보이세요.")),
    "sigmoid_uses_x": _e(CONCEPT, (
        "sigmoid: x where y belongs",
        "The student wrote x(1 - x): the formula's y is the output, not the input. The point "
        "of keeping self.out is that the derivative is cheapest in terms of the output."), (
        "시그모이드: y 자리에 x",
        "x(1 - x)라고 썼습니다. 공식의 y는 입력이 아니라 출력입니다. self.out을 보관하는 "
        "이유가 바로 출력으로 나타낸 미분이 가장 간단하기 때문입니다.")),
    "sigmoid_forgot_dout": _e(CONCEPT, (
        "sigmoid: dout dropped",
        "dx = y(1 - y) without the upstream gradient: the chain rule is missing."), (
        "시그모이드: dout 누락",
        "상류 기울기 없이 dx = y(1 - y)입니다. 연쇄법칙이 빠졌습니다.")),
    "sigmoid_forward_precedence": _e(CODE, (
        "sigmoid forward: 1 / 1 + exp(-x)",
        "Operator precedence: 1 / 1 + np.exp(-x) is 1 + exp(-x). A Python slip in a forward "
        "pass the student rewrote; it breaks the backward pass built on it."), (
        "시그모이드 순전파: 1 / 1 + exp(-x)",
        "연산자 우선순위 문제입니다. 1 / 1 + np.exp(-x)는 1 + exp(-x)입니다. 학생이 다시 쓴 "
        "순전파의 파이썬 실수이며, 그 위에 만든 역전파도 틀어집니다.")),
    "sigmoid_overflow": _e(CODE, (
        "sigmoid: overflow for large |x|",
        "The derivative was written from exp(-x), which overflows for large |x|; in terms of "
        "the kept output y it never does. Right on paper, wrong in floating point: a good "
        "moment to talk about numerical stability."), (
        "시그모이드: 큰 |x|에서 오버플로",
        "exp(-x)로 미분을 써서 |x|가 크면 오버플로가 납니다. 보관한 출력 y로 쓰면 그런 일이 "
        "없습니다. 식으로는 맞지만 부동소수점에서는 틀린 경우라 수치 안정성을 이야기하기 좋은 "
        "기회입니다.")),
    # --- the batch ---------------------------------------------------------------------------
    "affine_db_mean": _e(CONCEPT, (
        "Affine: db averaged, not summed",
        "b is broadcast to every sample in the forward pass, so its gradient is the sum of "
        "dout over the batch; the mean (÷ N) is already inside dout, from the loss. Students "
        "who average here usually think every gradient should be 'per sample'."), (
        "Affine: db를 합하지 않고 평균",
        "순전파에서 b는 모든 데이터에 브로드캐스트되므로 기울기는 배치에 대한 dout의 "
        "합입니다. 평균(÷ N)은 이미 손실에서 dout에 들어 있습니다. 여기서 평균을 내는 학생은 "
        "대개 모든 기울기가 '데이터 하나당'이어야 한다고 생각합니다.")),
    "shape_not_summed": _e(CONCEPT, (
        "Affine: db not summed over the batch",
        "db came back with one row per sample: the broadcast of b in the forward pass was "
        "not undone by a sum over axis 0. Connect broadcasting forward with summing "
        "backward."), (
        "Affine: db를 배치에 대해 합하지 않음",
        "db가 데이터마다 한 행씩 나왔습니다. 순전파의 b 브로드캐스트를 0번째 축의 합으로 "
        "되돌리지 않았습니다. 순전파의 브로드캐스트와 역전파의 합을 연결해 설명하세요.")),
    "shape_keepdims": _e(CODE, (
        "Affine: db kept the summed axis",
        "db = dout.sum(axis=0, keepdims=True) gives (1, M) where b is (M,): the sum is right, "
        "the shape rule (a gradient has its parameter's shape) was not applied."), (
        "Affine: db가 합한 축을 남김",
        "db = dout.sum(axis=0, keepdims=True)는 b가 (M,)인데 (1, M)을 줍니다. 합은 맞지만 "
        "'기울기는 매개변수와 형상이 같다'는 규칙을 적용하지 않았습니다.")),
    "shape_summed_all": _e(CONCEPT, (
        "Affine: db summed over every axis",
        "db = np.sum(dout) adds the outputs together too: one number for M biases. The sum "
        "undoes the broadcast over the batch only."), (
        "Affine: db를 모든 축으로 합함",
        "db = np.sum(dout)는 출력끼리도 더해 M개의 편향에 숫자 하나를 줍니다. 합은 배치에 "
        "대한 브로드캐스트만 되돌려야 합니다.")),
    "shape_wrong_axis": _e(CODE, (
        "summed over the wrong axis",
        "np.sum over axis 1 instead of 0: the batch is axis 0. Usually a numpy slip once the "
        "idea of summing is there."), (
        "엉뚱한 축으로 합함",
        "0번째 축이 아니라 1번째 축으로 합했습니다. 배치는 0번째 축입니다. 합해야 한다는 "
        "생각은 있으니 대개 numpy 실수입니다.")),
    "factor_inverse_n": _e(CONCEPT, (
        "divided by N once too often",
        "The gradient is exactly N times too small: the student divided by the batch size "
        "(or averaged) where the ÷ N of the mean loss has already been applied upstream. "
        "Trace where 1/N enters the graph: once, at the loss."), (
        "N으로 한 번 더 나눔",
        "기울기가 정확히 N분의 1입니다. 평균 손실의 ÷ N이 이미 상류에서 적용되었는데 배치 "
        "크기로 또 나눴습니다(또는 평균을 냈습니다). 1/N이 그래프의 어디서 들어오는지 따라가 "
        "보세요. 손실에서 한 번뿐입니다.")),
    "factor_n": _e(CONCEPT, (
        "N times too large: ÷ N missing",
        "The gradient is exactly N times too large: the gradient of the summed loss instead "
        "of the mean. Same lesson as 'divided by N once too often', from the other side."), (
        "N배 큼: ÷ N 누락",
        "기울기가 정확히 N배 큽니다. 평균이 아니라 합한 손실의 기울기입니다. 'N으로 한 번 더 "
        "나눔'과 같은 내용을 반대쪽에서 본 것입니다.")),
    "softmax_missing_n": _e(CONCEPT, (
        "softmax-with-loss: ÷ N missing",
        "dx = y - t without dividing by the batch size: the loss is a mean over the batch. "
        "The book's one-sample derivation hides the N; show the batch version."), (
        "Softmax-with-Loss: ÷ N 누락",
        "배치 크기로 나누지 않고 dx = y - t로 썼습니다. 손실은 배치의 평균입니다. 책의 데이터 "
        "한 개짜리 유도에서는 N이 보이지 않으니 배치 버전을 보여 주세요.")),
    "softmax_missing_labels": _e(CONCEPT, (
        "softmax-with-loss: labels not handled",
        "With label targets (not one-hot) the student forgot to subtract 1 at each true "
        "class, or handled only one-hot t. y - t means 'subtract the one-hot target': show "
        "that indexing by the label does the same."), (
        "Softmax-with-Loss: 레이블 처리 누락",
        "정답 레이블(원-핫이 아닌) 타깃에서 정답 클래스마다 1을 빼지 않았거나 원-핫 t만 "
        "처리했습니다. y - t는 '원-핫 타깃을 뺀다'는 뜻이며, 레이블로 인덱싱해도 같다는 점을 "
        "보여 주세요.")),
    "softmax_one_hot_as_labels": _e(CODE, (
        "Softmax-with-loss: handles labels only",
        "backward indexes dx with t (dx[np.arange(N), t] -= 1), which works for labels "
        "and raises an IndexError for one-hot targets: the layer must take both, as the "
        "network is trained with either. The mirror image of 'targets missing'."), (
        "Softmax-with-loss: 레이블만 처리함",
        "backward가 t로 dx를 인덱싱(dx[np.arange(N), t] -= 1)해서 레이블에서는 동작하지만 "
        "원-핫 정답에서는 IndexError가 납니다. 신경망은 둘 중 어느 것으로도 학습하므로 계층은 "
        "둘 다 받아야 합니다. '정답 누락'의 반대 경우입니다.")),
    "softmax_overflow": _e(CODE, (
        "softmax overflows",
        "The student's softmax does not subtract each row's maximum before np.exp, so large "
        "scores give NaN. A numerical-stability point from chapter 3."), (
        "소프트맥스 오버플로",
        "np.exp 전에 행마다 최댓값을 빼지 않아 점수가 크면 NaN이 나옵니다. 3장의 수치 안정성 "
        "이야기입니다.")),
    "loss_negative": _e(CODE, (
        "loss negative: minus sign missing",
        "The rewritten cross-entropy lacks its minus sign (or takes the log of a sum): a "
        "negative loss. The forward pass is wrong, so every gradient below it is too."), (
        "손실이 음수: 마이너스 부호 누락",
        "다시 쓴 교차 엔트로피에 마이너스 부호가 없거나 합의 로그를 취했습니다. 손실이 "
        "음수입니다. 순전파가 틀려서 그 아래 기울기도 모두 틀립니다.")),
    # --- shapes and signs ----------------------------------------------------------------------
    "shape_transposed_dx": _e(CONCEPT, (
        "Affine: dx transposed",
        "dx came back as (D, N) (W @ dout.T) instead of the input's (N, D) (dout @ W.T): the "
        "product was built without checking its shape against x's."), (
        "Affine: dx가 전치됨",
        "dx가 입력의 형상 (N, D)(dout @ W.T)가 아니라 (D, N)(W @ dout.T)으로 나왔습니다. "
        "곱의 형상을 x의 형상과 맞춰 보지 않았습니다.")),
    "affine_product_shapes": _e(CODE, (
        "Affine: a matrix product that does not fit",
        "A product in Affine.backward raised a shape error (x @ dout for dW, say): the "
        "shapes of dx, dW and db were not derived from those of x, W and dout."), (
        "Affine: 형상이 맞지 않는 행렬 곱",
        "Affine.backward의 곱셈이 형상 오류를 냈습니다(예: dW에 x @ dout). dx, dW, db의 "
        "형상을 x, W, dout의 형상에서 이끌어 내지 않았습니다.")),
    "affine_elementwise_product": _e(CONCEPT, (
        "Affine: * instead of a matrix product",
        "dW (or dx) was written as an elementwise product, x.T * dout, which raises a "
        "broadcast error: the student has not yet seen that the gradients of a matrix "
        "product are matrix products. Derive dW = x.T @ dout from the shapes (D, N) and "
        "(N, M)."), (
        "Affine: 행렬 곱 대신 *",
        "dW(또는 dx)를 원소별 곱 x.T * dout으로 써서 브로드캐스트 오류가 났습니다. 행렬 곱의 "
        "기울기도 행렬 곱이라는 점을 아직 보지 못했습니다. 형상 (D, N)과 (N, M)에서 "
        "dW = x.T @ dout을 유도해 보이세요.")),
    "shape_transposed": _e(CONCEPT, (
        "gradient transposed",
        "dW came back as (M, D) instead of (D, M) (dout.T @ x rather than x.T @ dout). The "
        "rule 'a parameter's gradient has the parameter's shape' lets students derive the "
        "matrix product from the shapes alone."), (
        "기울기가 전치됨",
        "dW가 (D, M)이 아니라 (M, D)로 나왔습니다(x.T @ dout 대신 dout.T @ x). '매개변수의 "
        "기울기는 매개변수와 형상이 같다'는 규칙만으로도 행렬 곱을 유도할 수 있음을 "
        "보여 주세요.")),
    "transposed_values": _e(CONCEPT, (
        "gradient transposed (square)",
        "The values are the transpose of the right gradient, on a square matrix where the "
        "shapes could not tell. Same lesson as 'gradient transposed'."), (
        "기울기가 전치됨(정사각 행렬)",
        "형상으로는 구별되지 않는 정사각 행렬에서 값이 올바른 기울기의 전치입니다. '기울기가 "
        "전치됨'과 같은 내용입니다.")),
    "shape_not_reshaped": _e(CODE, (
        "Affine: dx not reshaped",
        "For an (N, d1, d2) input, dx must come back in that shape; the student returned the "
        "flattened (N, D). Only matters for image-shaped inputs (chapter 7), a detail."), (
        "Affine: dx를 reshape하지 않음",
        "(N, d1, d2) 입력이면 dx도 그 형상으로 돌려보내야 하는데 평탄화된 (N, D)를 "
        "반환했습니다. 이미지 형상 입력(7장)에서만 문제가 되는 세부 사항입니다.")),
    "shape_swapped_params": _e(CODE, (
        "network: gradients under the wrong keys",
        "The dict of gradients pairs a key with another parameter's gradient (W with b, or "
        "layer 1 with layer 2). Usually bookkeeping, but ask which layer holds which "
        "parameter."), (
        "신경망: 기울기를 엉뚱한 키에 넣음",
        "기울기 딕셔너리에서 키와 다른 매개변수의 기울기를 짝지었습니다(W와 b, 또는 1층과 "
        "2층). 대개 단순한 정리 실수지만, 어느 계층이 어느 매개변수를 가지는지 물어보세요.")),
    "sign": _e(CONCEPT, (
        "wrong sign",
        "Exactly minus the right gradient. Often the student puts the 'minus' of gradient "
        "descent into the gradient itself; separate 'the gradient' from 'the step'."), (
        "부호가 반대",
        "정확히 올바른 기울기의 -1배입니다. 경사 하강법의 '마이너스'를 기울기 자체에 넣는 "
        "경우가 많습니다. '기울기'와 '갱신 한 걸음'을 구분해 주세요.")),
    "all_zero": _e(CODE, (
        "all zeros",
        "The gradient is computed but not returned or stored (an array left at zeros)."), (
        "모두 0",
        "기울기를 계산했지만 반환하거나 저장하지 않았습니다(0인 배열이 남음).")),
    # --- the network ---------------------------------------------------------------------------
    "net_shape_error": _e(CONCEPT, (
        "network: the backward walk breaks the chain",
        "Backward must visit the layers from last to first, each one taking the gradient the "
        "one after it returned; walked in forward order, or with dout not passed on, the "
        "shapes clash. The most telling mistake of the chapter: the student has not yet "
        "seen that backprop runs the graph in reverse, link by link."), (
        "신경망: 역방향 순회에서 연결이 끊김",
        "역전파는 마지막 계층부터 첫 계층까지 거꾸로 가면서, 각 계층이 뒤 계층이 돌려준 "
        "기울기를 받아야 합니다. 순전파 순서로 가거나 dout을 넘기지 않으면 형상이 맞지 "
        "않습니다. 이 장에서 가장 많은 것을 말해 주는 실수입니다. 역전파가 그래프를 한 "
        "단계씩 거꾸로 따라간다는 점을 아직 보지 못한 것입니다.")),
    "net_missing_last_layer": _e(CONCEPT, (
        "network: loss layer skipped",
        "Backprop started at the last Affine with dout = 1 instead of at the loss with "
        "lastLayer.backward(1): the student does not see the loss as the graph's last node."), (
        "신경망: 손실 계층을 건너뜀",
        "lastLayer.backward(1)로 손실에서 시작하지 않고 dout = 1로 마지막 Affine부터 "
        "시작했습니다. 손실을 그래프의 마지막 노드로 보지 못한 것입니다.")),
    "net_missing_forward": _e(CONCEPT, (
        "network: no fresh forward pass",
        "gradient ran the backward passes without self.loss(x, t) first (or with predict, "
        "which never reaches the loss layer). Every backward needs what its forward pass "
        "stored: the link between the two passes is missing."), (
        "신경망: 새 순전파 없음",
        "self.loss(x, t)를 먼저 호출하지 않고(또는 손실 계층까지 가지 않는 predict만 "
        "호출하고) 역전파를 했습니다. 모든 backward는 순전파가 저장한 값이 필요합니다. 두 "
        "과정 사이의 연결을 놓쳤습니다.")),
    "affine_changed_params": _e(CONCEPT, (
        "Affine: updates its parameters in backward",
        "Affine.backward took an SGD step on self.W or self.b: computing gradients and using "
        "them are mixed up. Backward only passes gradients back; the optimizer updates the "
        "parameters once every gradient of the step is known."), (
        "Affine: backward에서 매개변수를 갱신함",
        "Affine.backward에서 self.W나 self.b를 경사 하강법으로 갱신했습니다. 기울기를 구하는 "
        "일과 쓰는 일을 섞었습니다. backward는 기울기를 전달할 뿐이고, 매개변수 갱신은 한 "
        "단계의 기울기를 모두 구한 뒤 옵티마이저가 합니다.")),
    "net_reads_own_attribute": _e(CODE, (
        "network: reads its own layers' extra attributes",
        "gradient collected the gradients from an attribute the student's own layers add "
        "(self.grads, say) instead of each Affine's dW and db, so it works only with those "
        "layers: the network and its layers were not kept to the book's interface."), (
        "신경망: 자기 계층의 추가 속성을 읽음",
        "gradient가 각 Affine의 dW와 db가 아니라 학생 자신의 계층에만 있는 속성(예: "
        "self.grads)에서 기울기를 모았습니다. 그래서 그 계층과만 동작합니다. 신경망과 계층이 "
        "책의 인터페이스를 지키지 않았습니다.")),
    "net_stand_ins_subclassed": _e(CODE, (
        "network: layers picked by exact class",
        "gradient picked its layers by exact class (type(layer) == Affine), and the "
        "student's layer class does not let a layer have a forward and backward of its own "
        "(__slots__ without __dict__, or properties), so the checks' stand-in layers are of "
        "a subclass of it and none was found. isinstance(layer, Affine) is the idiom that "
        "also works for subclasses."), (
        "신경망: 정확한 클래스로 계층을 고름",
        "gradient가 계층을 정확한 클래스(type(layer) == Affine)로 골랐는데, 학생의 계층 "
        "클래스가 계층이 자기만의 forward와 backward를 가질 수 없게 되어 있어(__dict__ 없는 "
        "__slots__, 또는 property) 검사의 대역 계층이 그 하위 클래스가 되었고, 하나도 찾지 "
        "못했습니다. isinstance(layer, Affine)는 하위 클래스에도 통하는 관용구입니다.")),
    "net_layers_hold_copies": _e(CODE, (
        "network: layers hold copies",
        "The layers were given copies of the parameters, so updating self.params never "
        "reaches them and the network cannot learn. A numpy aliasing lesson."), (
        "신경망: 계층이 사본을 가짐",
        "계층에 매개변수의 사본을 넘겨서 self.params를 갱신해도 계층에 반영되지 않고 "
        "학습이 되지 않습니다. numpy의 참조(aliasing)를 가르칠 기회입니다.")),
    "net_given_code_changed": _e(CODE, (
        "network: given code changed",
        "The given constructor (params, layers, lastLayer) was edited so that the network "
        "no longer builds as the assignment says."), (
        "신경망: 주어진 코드를 바꿈",
        "주어진 생성자(params, layers, lastLayer)를 고쳐서 신경망이 과제대로 만들어지지 "
        "않습니다.")),
    "net_not_dict": _e(CODE, (
        "network: not a dict",
        "gradient returned something other than the dict of W1, b1, W2, b2."), (
        "신경망: 딕셔너리가 아님",
        "gradient가 W1, b1, W2, b2의 딕셔너리가 아닌 것을 반환했습니다.")),
    "net_missing_keys": _e(CODE, (
        "network: gradients missing",
        "The dict of gradients lacks some of W1, b1, W2, b2."), (
        "신경망: 기울기 누락",
        "기울기 딕셔너리에 W1, b1, W2, b2 가운데 일부가 없습니다.")),
    "net_replaced_params": _e(CONCEPT, (
        "network: parameters replaced",
        "gradient replaced arrays in self.params: computing the gradient and taking the "
        "step are mixed up (see 'parameters updated')."), (
        "신경망: 매개변수를 바꿔 넣음",
        "gradient가 self.params의 배열을 바꿔 넣었습니다. 기울기 계산과 갱신을 "
        "섞었습니다('매개변수를 갱신함' 참고).")),
    "net_changed_params": _e(CONCEPT, (
        "network: parameters updated",
        "gradient also took an SGD step. Computing the gradient and updating the parameters "
        "are separate jobs (the optimizer's is the second): worth saying in class."), (
        "신경망: 매개변수를 갱신함",
        "gradient가 SGD 갱신까지 했습니다. 기울기 계산과 매개변수 갱신은 별개의 일입니다"
        "(갱신은 옵티마이저의 일). 수업에서 짚어 줄 만합니다.")),
    "softmax_dout_misused": _e(CONCEPT, (
        "softmax: dout misused",
        "backward did something with dout other than multiply by it (divided by it, added "
        "it): the chain rule multiplies the local gradient by the upstream one. The book "
        "leaves dout out, as it is 1 for the last layer; that is accepted."), (
        "소프트맥스: dout을 잘못 씀",
        "backward가 dout을 곱하지 않고 다른 연산(나누기, 더하기)을 했습니다. 연쇄법칙은 "
        "국소적 미분에 상류 기울기를 곱합니다. 마지막 계층이라 dout이 1이므로 dout을 쓰지 "
        "않는 책의 코드는 인정됩니다.")),
    "layer_state_carried": _e(CONCEPT, (
        "layer: state kept from an earlier call",
        "backward is right on a new layer's first pass but not after the layer has made "
        "one before: it kept something from an earlier call (gradients added to the last "
        "ones, as in frameworks that accumulate until zeroed; a derivative computed on the "
        "first call only). Each backward belongs to the latest forward: worth showing "
        "that a layer is called again at every training step."), (
        "계층: 이전 호출의 상태를 간직함",
        "새 계층의 첫 번째 패스에서는 backward가 맞지만, 한 번 쓰인 뒤에는 틀립니다. 이전 "
        "호출에서 남은 것(지난 기울기에 더한 기울기, 첫 호출에서만 계산한 미분)을 썼습니다. "
        "backward는 가장 최근의 순전파에 속합니다. 학습의 매 단계마다 계층이 다시 "
        "호출된다는 점을 보여 줄 만합니다.")),
    # --- not backprop ----------------------------------------------------------------------------
    **{key: _e(NOT_BACKPROP, (
        "numerical differentiation, not backprop",
        "The gradient behaves like finite differences of the forward pass (inexact at "
        "extreme inputs, too slow at full size, or inconsistent): the student computed it "
        "numerically instead of by backpropagation. The part earns no points; the student "
        "missed the chapter's point that backprop is exact and fast."), (
        "역전파가 아닌 수치 미분",
        "기울기가 순전파의 유한 차분처럼 동작합니다(극단적인 입력에서 부정확하거나, 실제 "
        "크기에서 너무 느리거나, 일관되지 않음). 역전파가 아니라 수치 미분으로 계산했습니다. "
        "이 부분은 0점이며, 역전파가 정확하고 빠르다는 이 장의 핵심을 놓친 것입니다."))
       for key in ("not_backprop_failed", "not_backprop_inconsistent", "not_backprop_slow",
                   "not_backprop_inexact")},
    # --- training on MNIST ------------------------------------------------------------------------
    "mnist_too_low": _e(TRAINING, (
        "MNIST: accuracy below the threshold",
        "The network trained but did not reach the required test accuracy in the grader's "
        "run."), (
        "MNIST: 정확도가 기준 미달",
        "신경망이 학습은 했지만 채점기의 실행에서 요구하는 테스트 정확도에 이르지 "
        "못했습니다.")),
    "mnist_diverged": _e(TRAINING, (
        "MNIST: training diverged",
        "The parameters became NaN or infinite during training."), (
        "MNIST: 학습이 발산함",
        "학습 중에 매개변수가 NaN이나 무한대가 되었습니다.")),
    "mnist_too_slow": _e(TRAINING, (
        "MNIST: training too slow",
        "Training did not finish in time: usually Python loops over elements, or "
        "numerical differentiation."), (
        "MNIST: 학습이 너무 느림",
        "제한 시간 안에 학습이 끝나지 않았습니다. 대개 원소마다 도는 파이썬 반복문이나 수치 "
        "미분 때문입니다.")),
    "mnist_wrong_start": _e(TRAINING, (
        "MNIST: did not start from the given parameters",
        "The network did not keep the parameter arrays it was given."), (
        "MNIST: 주어진 매개변수로 시작하지 않음",
        "신경망이 주어진 매개변수 배열을 그대로 쓰지 않았습니다.")),
    "mnist_bad_run": _e(TRAINING, (
        "MNIST: run not reported as asked",
        "The training run's states did not match what it committed to: the given training "
        "code was changed."), (
        "MNIST: 요청대로 실행을 보고하지 않음",
        "학습 과정의 상태가 약속한 값과 다릅니다. 주어진 학습 코드를 바꿨습니다.")),
    "mnist_gradient_differs": _e(TRAINING, (
        "MNIST: a training step is not a backprop step",
        "At a step the grader checked, the update was not -lr times the backprop gradient "
        "(a gradient right only now and then, or cached)."), (
        "MNIST: 학습 단계가 역전파 갱신이 아님",
        "채점기가 확인한 단계에서 갱신이 -lr × 역전파 기울기가 아니었습니다(가끔만 맞거나 "
        "저장해 둔 기울기).")),
}

# What the report says for an id it has no entry for (a newer grader, say).
UNKNOWN = Explanation(CONCEPT, {"en": "{id}", "ko": "{id}"}, {
    "en": "A mistake this report has no explanation for yet: see the students' feedback.",
    "ko": "이 보고서에 아직 설명이 없는 실수입니다. 학생 피드백을 보세요.",
})


def explain(diagnosis, lang):
    """(kind, title, paragraph) of ``diagnosis`` (an id) in ``lang``."""
    entry = EXPLANATIONS.get(diagnosis)
    if entry is None:
        title, text = UNKNOWN.in_language(lang)
        return UNKNOWN.kind, title.format(id=diagnosis), text
    return (entry.kind, *entry.in_language(lang))
