"""The backprop assignment's words in Korean: the markdown cells, by name.

The same names as :mod:`autograder.authoring.text_en`; the terms are those of the book's
Korean edition (밑바닥부터 시작하는 딥러닝): 계산 그래프, 순전파, 역전파, 국소적 미분,
연쇄법칙, 곱셈 노드, 덧셈 노드, 계층, 기울기, 형상, 배치, 오차역전파법, 기울기 확인.
"""

LANGUAGE = "ko"

TEXT = {
    "intro": """
        # 오차역전파법, 계층 단위로 구현하기

        *밑바닥부터 시작하는 딥러닝* 5장. 이 노트북에서는 신경망의 계층을 `forward` 메서드와
        `backward` 메서드를 가진 객체로 구현하고, 이 계층들을 조립해 2층 신경망을 만든 다음,
        그 기울기를 수치 미분과 비교해 확인하고 MNIST로 학습시킵니다.

        **작성할 것:** `# 여기에 코드를 작성하세요`라고 표시된 셀에 있는 `backward` 계열의
        메서드 일곱 개입니다. `MulLayer.backward`, `AddLayer.backward`, `Relu.backward`,
        `Sigmoid.backward`, `Affine.backward`, `SoftmaxWithLoss.backward`,
        `TwoLayerNet.gradient`. 나머지는 모두 읽기 전용 셀로 주어집니다.

        **진행 방법:** 셀을 위에서부터 순서대로 실행하세요. 과제마다 뒤에 오는 *공개 확인*
        셀이 ✓를 보여 주거나 무엇이 잘못되었는지 알려 줍니다. 그다음에는 *숨겨진 채점* 셀이
        있습니다. 지금은 아무 일도 하지 않지만, 노트북을 채점할 때 채점용 검사(다른 입력,
        수치 미분으로 구한 기울기, 마지막으로 여러분의 신경망을 MNIST로 학습시키는 검사)를
        실행합니다. 클래스와 메서드의 이름은 바꾸지 마세요.
        """,
    "graphs": """
        ## 1. 계산 그래프

        계산 그래프는 계산 과정을 노드로 나누어 나타냅니다. **순전파**는 왼쪽에서 오른쪽으로
        계산을 진행합니다. **역전파**는 미분을 오른쪽에서 왼쪽으로 전달합니다. 각 노드는
        출력 쪽에서 흘러온 미분 `dout`에 자신의 *국소적 미분*을 곱해 각 입력 쪽으로
        넘깁니다. 노드 하나하나에 연쇄법칙을 적용하는 것, 이것이 오차역전파법의 전부입니다.

        사과 쇼핑: 1개에 100원인 사과를 2개 사고, 소비세 10%(1.1배)가 붙습니다.

        ```
        apple (100) ──┐
                      (×) ── 200 ──┐
        apple_num (2)─┘            (×) ── 220 = price
        tax (1.1) ─────────────────┘
        ```

        ### 곱셈 노드
        $z = xy$이면 $\\partial z/\\partial x = y$, $\\partial z/\\partial y = x$입니다.
        따라서 역전파는 `x` 쪽으로 `dout * y`를, `y` 쪽으로 `dout * x`를 보냅니다. 즉, 두
        입력을 서로 바꾸어 곱합니다. 그래서 `forward`는 두 입력을 모두 저장해 둡니다.
        """,
    "task_mul": """
        **과제 1.** `MulLayer.backward`를 작성하세요. `(dx, dy)`를 반환합니다.
        """,
    "mul_graph": """
        여러분이 만든 두 계층 객체로 그린 계산 그래프입니다. 화살표 위에는 순전파 값이,
        아래에는 여러분의 `backward`가 계산한 기울기가 표시됩니다.
        """,
    "add_node": """
        ### 덧셈 노드
        $z = x + y$이면 $\\partial z/\\partial x = \\partial z/\\partial y = 1$이므로,
        역전파는 `dout`을 두 입력 쪽으로 그대로 보냅니다.

        사과와 귤 쇼핑: 1개에 100원인 사과 2개와 1개에 150원인 귤 3개를 사고, 소비세는
        1.1배입니다. 지불 금액은 715원이고, 역전파를 하면 각 입력이 지불 금액에 미치는
        영향을 한꺼번에 구할 수 있습니다. 사과 개수가 1 늘 때마다 110, 사과 가격이 1원 오를
        때마다 2.2, 귤 가격이 1원 오를 때마다 3.3, 귤 개수가 1 늘 때마다 165, 소비세가 1
        늘 때마다 650씩 지불 금액이 늘어납니다.
        """,
    "task_add": """
        **과제 2.** `AddLayer.backward`를 작성하세요. `(dx, dy)`를 반환합니다.
        """,
    "relu": """
        ## 2. 활성화 함수 계층

        ### ReLU 계층
        $$y = \\begin{cases} x & (x > 0) \\\\ 0 & (x \\le 0) \\end{cases}
        \\qquad
        \\frac{\\partial y}{\\partial x} = \\begin{cases} 1 & (x > 0) \\\\ 0 & (x \\le 0)
        \\end{cases}$$

        순전파 때 입력이 0보다 컸던 원소에서는 `dout`을 그대로 흘려보내고, 나머지
        원소에서는 기울기가 0입니다. 순전파가 *어느 원소가* 그랬는지를 `self.mask`(불리언
        배열로, $x \\le 0$인 원소가 `True`)에 기억해 두므로, 역전파에는 `x` 자체가
        필요하지 않습니다.
        """,
    "task_relu": """
        **과제 3.** `self.mask`를 사용해 `Relu.backward`를 작성하세요. `dout`과 형상이 같은
        `dx`를 반환합니다.
        """,
    "sigmoid": """
        ### Sigmoid 계층
        $y = \\dfrac{1}{1 + \\exp(-x)}$는 $\\times(-1)$, $\\exp$, $+1$, $1/\\cdot$ 네
        노드로 이루어진 계산 그래프입니다. 이 노드들을 거꾸로 하나씩 거쳐 가면:

        1. $u = 1 + e^{-x}$일 때 $1/u$: 국소적 미분은 $-1/u^2 = -y^2$.
        2. $+1$: 기울기를 그대로 전달합니다.
        3. $\\exp$: 국소적 미분은 $e^{-x}$.
        4. $\\times(-1)$: 국소적 미분은 $-1$.

        이들을 모두 곱하면 $\\dfrac{\\partial L}{\\partial x} = \\text{dout} \\cdot y^2
        e^{-x}$입니다. $e^{-x} = \\dfrac{1 - y}{y}$이므로, 이 식은
        $$\\frac{\\partial L}{\\partial x} = \\text{dout} \\cdot y\\,(1 - y)$$
        로 정리됩니다. 역전파에는 순전파의 *출력* $y$만 있으면 되고, `forward`가 이 값을
        `self.out`에 저장해 둡니다.
        """,
    "task_sigmoid": """
        **과제 4.** `self.out`을 사용해 `Sigmoid.backward`를 작성하세요.
        """,
    "sigmoid_graph": """
        x = 1에서 시그모이드의 계산 그래프를 노드별로 그린 것입니다. 입력에서의 기울기, 즉
        네 국소적 미분의 곱은 y(1 − y)와 같고, 여러분의 `Sigmoid.backward`가 계산한 값도
        함께 표시됩니다.
        """,
    "affine": """
        ## 3. Affine 계층

        데이터 $N$개를 묶은 배치 $X$(형상 $(N, D)$), 가중치 $W$ $(D, M)$, 편향 $b$
        $(M,)$에 대해 $Y = XW + b$이고, 그 형상은 $(N, M)$입니다. $\\partial L/\\partial Y$ =
        `dout` $(N, M)$이라 하면:

        $$\\frac{\\partial L}{\\partial X} = \\text{dout}\\, W^{T} \\;(N, D) \\qquad
        \\frac{\\partial L}{\\partial W} = X^{T}\\, \\text{dout} \\;(D, M) \\qquad
        \\frac{\\partial L}{\\partial b} = \\sum_{n} \\text{dout}_{n} \\;(M,)$$

        형상을 확인해 보세요. 각 기울기는 미분한 대상과 형상이 같습니다. 편향은 순전파 때
        모든 데이터에 *브로드캐스트*되었으므로, 그 기울기는 배치 축(0번째 축)을 따라
        *합합니다*.

        순전파는 N차원 입력(예를 들어 형상이 $(N, 1, 28, 28)$인 이미지)을 $(N, D)$로
        평탄화하고, 원래 형상을 `self.original_x_shape`에 저장해 둡니다. `dx`는 그 형상으로
        되돌려서 반환해야 합니다.
        """,
    "task_affine": """
        **과제 5.** `Affine.backward`를 작성하세요. `dx`를 (입력의 원래 형상으로) 계산하고,
        매개변수의 기울기는 `self.dW`와 `self.db`에 저장합니다.
        """,
    "softmax": """
        ## 4. Softmax-with-Loss 계층

        마지막 계층은 점수 $a$를 확률 $y = \\text{softmax}(a)$로 바꾸고, 교차 엔트로피 오차의
        평균 $L = -\\frac{1}{N}\\sum_n \\log y_{n, t_n}$을 구합니다. (주어진 `softmax`는
        먼저 각 행의 최댓값을 빼므로 `np.exp`가 오버플로되지 않고, `cross_entropy_error`는
        log 안에 `1e-7`을 더하므로 `log(0)`을 계산하는 일이 없습니다.)

        두 함수를 한 계층으로 묶으면 좋은 점이 있습니다. 연쇄법칙의 여러 항이 서로 소거되어
        $$\\frac{\\partial L}{\\partial a} = \\frac{y - t}{N}$$
        이 됩니다($t$는 원-핫 벡터). 예측과 정답의 차이가 바로 역전파로 보낼 오차이고,
        $1/N$은 손실이 배치에 대한 *평균*이기 때문에 붙습니다. 정답이 레이블(정수)로 주어질
        때 $y - t$는 각 데이터의 정답 클래스 확률에서 1을 뺀다는 뜻입니다.
        """,
    "task_softmax": """
        **과제 6.** 정답이 원-핫 벡터일 때*와* 레이블일 때 모두 동작하도록
        `SoftmaxWithLoss.backward`를 작성하세요.
        """,
    "two_layer_net": """
        ## 5. 2층 신경망

        `TwoLayerNet`은 계층들을 `self.layers`에 순서대로 보관합니다. `Affine1`, `Relu1`,
        `Affine2`가 차례로 있고, 마지막에 `self.lastLayer`(SoftmaxWithLoss)가 있습니다.
        `predict`는 이 계층들을 차례로 순전파합니다. 계층들은 `self.params`와 *같은 배열*을
        가지고 있으므로, `self.params`를 제자리에서(in place) 갱신하면 계층들이 학습됩니다.

        오차역전파법으로 기울기를 구하는 순서: 먼저 순전파(`self.loss(x, t)`)를 실행해 각
        계층이 역전파에 필요한 값을 저장하게 합니다. 그다음 `lastLayer`의 `backward`를
        `dout = 1`로 호출하고, 각 계층의 `backward`를 **역순으로** 호출하면서 결과를 다음
        계층에 넘깁니다. 마지막으로 두 Affine 계층에서 `dW`와 `db`를 모읍니다.
        """,
    "task_net": """
        **과제 7.** `TwoLayerNet.gradient`를 작성하세요. `W1`, `b1`, `W2`, `b2`의 기울기를
        담은 딕셔너리를 반환합니다.
        """,
    "gradient_check": """
        ### 기울기 확인
        수치 미분은 느리지만 구현이 단순해서 틀리기 어렵고, 오차역전파법은 빠르지만 틀리기
        쉽습니다. 두 방법으로 구한 기울기를 매개변수별로 비교하면 역전파를 올바르게
        구현했는지 확인할 수 있습니다.
        """,
    "self_check": """
        ## 자가 점검

        이 셀은 언제든 실행해도 됩니다. 여러분이 작성한 메서드를 하나씩 공개된 입력으로
        실행해, 주어진 순전파를 수치 미분한 기울기와 비교하고, 실패하면 흔히 있는 원인을
        알려 줍니다. (채점용 검사는 다른 입력을 더 많이 사용합니다.)
        """,
    "mnist": """
        ## 6. MNIST로 학습하기

        책과 같은 설정입니다. 은닉층 뉴런 50개, 미니배치 크기 100, 학습률 0.1, 반복 횟수
        10,000회(약 17에폭). 반복할 때마다 미니배치 하나의 기울기를 오차역전파법으로 구하고,
        손실이 줄어드는 방향으로 한 걸음 나아갑니다. 1에폭마다 시험 데이터 전체와 훈련
        데이터 중 10,000개에 대한 정확도를 기록합니다. 10초 정도면 시험 정확도가 0.97
        정도에 이를 것입니다.

        학습은 float32로 합니다. float64보다 메모리 전송량은 절반이고 연산 속도는 두
        배이며, 정확도는 같습니다. (앞의 기울기 확인에는 float64가 필요합니다. 수치 미분은
        아주 작은 차이를 아주 작은 간격으로 나누는데, float32의 유효 숫자는 7자리 정도밖에
        되지 않기 때문입니다.)

        MNIST(LeCun, Cortes, Burges, CC BY-SA 3.0)는 `course_data`가 불러옵니다.
        """,
    "mnist_hidden": """
        숨겨진 MNIST 검사는 여러분의 신경망(여러분이 만든 계층과 `gradient`)을 고정된
        시드로 크기 {batch_size}의 미니배치에 대해 {iterations}회 반복, 학습률
        {learning_rate}로 학습시키고 시험 정확도를 측정합니다. 학습률이 책의 다섯 배라서
        1/6 에폭 만에 책의 설정으로 1에폭 학습한 정확도에 가까이 이릅니다. 이 검사는
        `TwoLayerNet.gradient`가 검사를 통과한 뒤에만 실행됩니다.
        """,
}

# The hidden-check cells' comment ({title}: what the part is called in Korean).
HIDDEN_CHECKS = "{title}의 숨겨진 검사: 노트북을 채점할 때 여기서 실행됩니다."

# The code cells' comments and docstrings (autograder.authoring.translate): English text ->
# Korean. The code itself is the English notebook's; only what students read in it changes.
CODE = {
    # --- the setup cell and its helpers
    'The language of the self-check\'s and the graders\' messages: "en" or "ko".':
        '자가 점검과 채점기 메시지의 언어: "en"(영어) 또는 "ko"(한국어).',
    "nbgrader sets NBGRADER_EXECUTION while it grades or validates this notebook. The long "
    "training run at the end is skipped then: the hidden MNIST check trains your network "
    "itself.":
        "nbgrader가 이 노트북을 채점하거나 검증하는 동안에는 NBGRADER_EXECUTION이 설정됩니다. "
        "그때는 마지막의 긴 학습을 건너뜁니다. 숨겨진 MNIST 검사가 여러분의 신경망을 직접 "
        "학습시키기 때문입니다.",
    'Visible check: say ✓, or raise AssertionError saying what was expected and what came.'
    '\n\nwhat: a description such as "dx of MulLayer.backward". got: the student\'s value.'
    '\nexpected: the right value (scalar or array). tol: the largest relative error allowed,'
    '\nmeasured as the hidden checks measure it (:func:`selfcheck.numerics.relative_error`:'
    '\nthe largest difference over the largest magnitude, with a floor), so that a visible'
    '\ncheck and a hidden one never disagree about the same numbers.':
        '공개 확인: ✓를 출력하거나, 기대한 값과 실제 값을 알려 주는 AssertionError를\n'
        '발생시킵니다.\n\n'
        'what: 확인하는 대상의 설명(예: "MulLayer.backward의 dx"). got: 여러분이 구한 값.\n'
        'expected: 올바른 값(스칼라 또는 배열). tol: 허용하는 가장 큰 상대 오차로, 숨겨진\n'
        '검사와 같은 방식(:func:`selfcheck.numerics.relative_error`: 가장 큰 차이를 가장 큰\n'
        '크기로 나눈 값, 하한 있음)으로 잽니다. 그래서 공개 확인과 숨겨진 검사는 같은 값에\n'
        '대해 서로 다른 판정을 내리지 않습니다.',
    "written so that NaN fails too": "NaN도 실패하도록 이렇게 씁니다",
    "Say when the hidden checks of ``part`` run: never in this kernel.\n\nThe grader runs "
    "them in its own process against a sandboxed copy of your code, and\nwrites their "
    "result into this cell. ``nbgrader validate`` runs the part's public\nself-check here "
    "instead (and fails if it does). If nbgrader ever executes this cell to\ngrade it (a "
    "configuration without the course's IsolatedAutograde), it fails, so that\nno points "
    "are given for checks that did not run.":
        "``part``의 숨겨진 검사가 언제 실행되는지 알려 줍니다. 이 커널에서는 실행되지\n"
        "않습니다.\n\n"
        "채점기는 여러분의 코드를 샌드박스에 복사해 자신의 프로세스에서 검사를 실행하고,\n"
        "그 결과를 이 셀에 기록합니다. ``nbgrader validate``는 그 대신 여기서 이 부분의\n"
        "공개 자가 점검을 실행합니다(자가 점검이 실패하면 검증도 실패합니다). nbgrader가\n"
        "채점하려고 이 셀을 실행하는 일이 생기면(강좌의 IsolatedAutograde가 없는 설정)\n"
        "실패하므로, 실행되지 않은 검사에 점수가 주어지는 일은 없습니다.",
    # --- MulLayer, AddLayer and the apple examples
    "Multiplication node z = x * y (scalars or same-shape arrays).":
        "곱셈 노드 z = x * y (스칼라 또는 형상이 같은 배열).",
    "Return x * y, keeping both inputs: each one's gradient needs the other.":
        "x * y를 반환하고 두 입력을 모두 저장합니다. 각 입력의 기울기에 다른 쪽 입력이 "
        "필요하기 때문입니다.",
    "dout: dL/dz, same shape as z. Returns (dL/dx, dL/dy), shaped like x and y.":
        "dout: dL/dz, z와 형상이 같습니다. x, y와 형상이 같은 (dL/dx, dL/dy)를 반환합니다.",
    "dz/dx = y: the inputs swap places":
        "dz/dx = y: 두 입력을 서로 바꾸어 곱합니다",
    "forward": "순전파",
    "backward": "역전파",
    "Addition node z = x + y (scalars or same-shape arrays).":
        "덧셈 노드 z = x + y (스칼라 또는 형상이 같은 배열).",
    "Return x + y. Nothing needs keeping: the local gradients are constant.":
        "x + y를 반환합니다. 국소적 미분이 상수이므로 저장해 둘 것이 없습니다.",
    "dout: dL/dz. Returns (dL/dx, dL/dy); each equals dout, since dz/dx = dz/dy = 1.":
        "dout: dL/dz. (dL/dx, dL/dy)를 반환합니다. dz/dx = dz/dy = 1이므로 둘 다 dout과 "
        "같습니다.",
    "backward, in the reverse order": "역전파: 순전파의 역순으로",
    # --- Relu, Sigmoid
    "ReLU: y = x where x > 0, else 0.": "ReLU: x > 0이면 y = x, 그 밖에는 0.",
    "x: any shape. Returns max(x, 0); ``self.mask`` marks where x <= 0.":
        "x: 형상은 자유. max(x, 0)을 반환합니다. ``self.mask``는 x <= 0인 원소를 표시합니다.",
    "dout: shape of x. Returns dx of the same shape: dout where x > 0, else 0.":
        "dout: x와 같은 형상. 같은 형상의 dx를 반환합니다. x > 0인 곳은 dout, 그 밖에는 0.",
    "a copy, so the caller's dout is left as it was":
        "복사본: 호출한 쪽의 dout은 그대로 둡니다",
    "Sigmoid: y = 1 / (1 + exp(-x)).": "시그모이드: y = 1 / (1 + exp(-x)).",
    "x: any shape. Returns y = sigmoid(x) and keeps it in ``self.out``.":
        "x: 형상은 자유. y = sigmoid(x)를 반환하고 ``self.out``에 저장합니다.",
    "dout: shape of x. Returns dx = dout * y * (1 - y), using the kept output y.":
        "dout: x와 같은 형상. 저장해 둔 출력 y로 dx = dout * y * (1 - y)를 반환합니다.",
    # --- Affine
    "Fully connected layer: out = x W + b, for a batch of N inputs.":
        "완전연결 계층: 입력 N개의 배치에 대해 out = x W + b.",
    "W: (D, M) weights; b: (M,) biases. The layer keeps references, not copies.":
        "W: (D, M) 가중치, b: (M,) 편향. 계층은 복사본이 아니라 이 배열 자체를 참조합니다.",
    "x: (N, d_1, ..., d_k) with d_1 * ... * d_k = D. Returns out: (N, M).\n\nAn N-d input "
    "(images, say) is flattened to (N, D); its shape is kept so that\nbackward can return "
    "dx in the shape x came in.":
        "x: (N, d_1, ..., d_k), d_1 * ... * d_k = D. out: (N, M)을 반환합니다.\n\n"
        "N차원 입력(예를 들어 이미지)은 (N, D)로 평탄화합니다. 원래 형상을 저장해 두므로\n"
        "backward는 x가 들어온 형상 그대로 dx를 반환할 수 있습니다.",
    "dout: (N, M). Returns dx shaped like the forward input (N, d_1, ..., d_k).\n\nAlso "
    "stores self.dW: (D, M) and self.db: (M,), the gradients of the parameters.":
        "dout: (N, M). 순전파의 입력과 형상이 같은 dx (N, d_1, ..., d_k)를 반환합니다.\n\n"
        "매개변수의 기울기 self.dW: (D, M)과 self.db: (M,)도 저장합니다.",
    "b was broadcast over the batch: sum it back":
        "b는 배치 전체에 브로드캐스트되었으므로 배치 축을 따라 합합니다",
    "N = 2 samples, D = 3": "데이터 N = 2개, D = 3",
    "an N-d input: 2 images of 1x2x2": "N차원 입력: 1x2x2 이미지 2장",
    # --- softmax, cross-entropy, SoftmaxWithLoss
    "Row-wise softmax.\n\nx: (N, C) scores, or (C,) for one sample.\nReturns probabilities "
    "of the same shape; each row sums to 1.\nSubtracting the row maximum first keeps "
    "``np.exp`` from overflowing for large scores\n(softmax is unchanged by adding a "
    "constant to every score of a row).":
        "행별 소프트맥스.\n\n"
        "x: (N, C) 점수, 데이터가 하나이면 (C,).\n"
        "형상이 같은 확률을 반환합니다. 각 행의 합은 1입니다.\n"
        "먼저 각 행의 최댓값을 빼므로 점수가 커도 ``np.exp``가 오버플로되지 않습니다\n"
        "(한 행의 모든 점수에 같은 상수를 더해도 소프트맥스의 값은 변하지 않습니다).",
    "Mean cross-entropy of predicted probabilities ``y`` against targets ``t``.\n\ny: (N, C) "
    "probabilities, or (C,) for one sample.\nt: (N, C) one-hot targets, or (N,) integer "
    "labels (or the 1-sample forms).\nReturns a Python float: -(1/N) * sum_n log(y[n, "
    "label_n] + 1e-7).\nThe 1e-7 keeps log away from -inf when a probability underflows "
    "to 0.":
        "예측 확률 ``y``와 정답 ``t``의 교차 엔트로피 오차의 평균.\n\n"
        "y: (N, C) 확률, 데이터가 하나이면 (C,).\n"
        "t: (N, C) 원-핫 정답 또는 (N,) 정수 레이블(데이터가 하나일 때의 형상도 가능).\n"
        "파이썬 float -(1/N) * sum_n log(y[n, label_n] + 1e-7)을 반환합니다.\n"
        "1e-7을 더하므로 확률이 0으로 언더플로되어도 log가 -inf가 되지 않습니다.",
    "one-hot targets: turn them into label indices":
        "원-핫 정답: 레이블(정답 클래스의 인덱스)로 바꿉니다",
    "Softmax followed by the cross-entropy loss, as one layer.":
        "소프트맥스와 그 뒤의 교차 엔트로피 오차를 한 계층으로 묶은 것.",
    "softmax output, (N, C)": "소프트맥스의 출력, (N, C)",
    "targets: (N, C) one-hot or (N,) label indices":
        "정답: (N, C) 원-핫 벡터 또는 (N,) 레이블",
    "x: (N, C) scores; t: (N, C) one-hot or (N,) labels. Returns the mean loss.":
        "x: (N, C) 점수, t: (N, C) 원-핫 정답 또는 (N,) 레이블. 손실의 평균을 반환합니다.",
    "dout: dL/dloss (1 when this is the last layer). Returns dx: (N, C) = (y - t) / N.\n\n"
    "Works for one-hot and label-index targets alike.":
        "dout: dL/dloss(이 계층이 마지막 계층이면 1). dx: (N, C) = (y - t) / N을\n"
        "반환합니다.\n\n"
        "정답이 원-핫 벡터일 때와 레이블일 때 모두 동작합니다.",
    "one-hot targets": "원-핫 정답",
    "label indices: subtract 1 at each sample's true class":
        "레이블: 각 데이터의 정답 클래스 자리에서 1을 뺍니다",
    # --- the network
    "Central-difference gradient of a scalar function ``f`` at the array ``x``.\n\nf: "
    "callable taking ``x`` (it may ignore the argument and read ``x`` through a closure,\n"
    "   as ``TwoLayerNet.numerical_gradient`` does) and returning a float.\nx: float array "
    "of any shape; it is perturbed in place, one element at a time, and\n   restored "
    "exactly afterwards.\nReturns grad with grad.shape == x.shape.":
        "스칼라 함수 ``f``의 배열 ``x``에서의 기울기를 중심 차분으로 구합니다.\n\n"
        "f: ``x``를 받아 float을 반환하는 함수(``TwoLayerNet.numerical_gradient``처럼\n"
        "   인수를 무시하고 클로저로 ``x``를 읽어도 됩니다).\n"
        "x: 형상이 자유로운 float 배열. 원소를 하나씩 제자리에서 바꿨다가 정확히\n"
        "   원래 값으로 되돌립니다.\n"
        "grad.shape == x.shape인 grad를 반환합니다.",
    "the book's step: a good trade-off between truncation and rounding error":
        "책과 같은 간격: 절단 오차와 반올림 오차 사이의 적절한 절충",
    "Affine1 -> Relu1 -> Affine2, then SoftmaxWithLoss; everything but ``gradient``.":
        "Affine1 -> Relu1 -> Affine2, 마지막에 SoftmaxWithLoss. ``gradient``를 뺀 전부.",
    "Sizes D, H, C. Weights ~ N(0, weight_init_std^2), biases 0.\n\n``self.params`` holds "
    "W1: (D, H), b1: (H,), W2: (H, C), b2: (C,). The layers hold the\nvery same arrays, so "
    "an in-place update of ``self.params`` trains the layers too.\ndtype: float64 (the "
    "default) for gradient checks, where numerical differences need\nevery digit; float32 "
    "halves the memory and the time of training, at no cost in\naccuracy.":
        "크기는 D, H, C. 가중치 ~ N(0, weight_init_std^2), 편향은 0.\n\n"
        "``self.params``에는 W1: (D, H), b1: (H,), W2: (H, C), b2: (C,)가 있습니다.\n"
        "계층들은 바로 이 배열들을 가지고 있으므로, ``self.params``를 제자리에서 갱신하면\n"
        "계층들도 학습됩니다.\n"
        "dtype: 기울기 확인에는 float64(기본값). 수치 미분에는 모든 자릿수가 필요하기\n"
        "때문입니다. float32는 학습의 메모리와 시간을 절반으로 줄이며, 정확도는 같습니다.",
    "forward order; backward walks it in reverse":
        "순전파 순서. 역전파는 이 순서를 거꾸로 따라갑니다",
    "x: (N, D). Returns scores (N, C), before softmax.":
        "x: (N, D). 소프트맥스 전의 점수 (N, C)를 반환합니다.",
    "x: (N, D); t: (N, C) one-hot or (N,) labels. Returns the mean loss (float).":
        "x: (N, D), t: (N, C) 원-핫 정답 또는 (N,) 레이블. 손실의 평균(float)을 반환합니다.",
    "Fraction of the N samples whose highest score is the true class.":
        "데이터 N개 중 점수가 가장 높은 클래스가 정답 클래스인 비율.",
    "Gradients of the loss by central differences: slow, but independent of backprop.":
        "중심 차분으로 구한 손실의 기울기: 느리지만 역전파와는 독립적입니다.",
    "Gradients of the loss by backpropagation.\n\nx: (N, D); t: (N, C) one-hot or (N,) "
    "labels.\nReturns a dict with W1, b1, W2, b2, each shaped like "
    "``self.params[key]``.":
        "오차역전파법으로 구한 손실의 기울기.\n\n"
        "x: (N, D), t: (N, C) 원-핫 정답 또는 (N,) 레이블.\n"
        "W1, b1, W2, b2의 기울기를 담은 딕셔너리를 반환합니다. 각 기울기는\n"
        "``self.params[key]``와 형상이 같습니다.",
    "a fresh forward pass: backward uses what it stored":
        "새로 순전파: 역전파는 순전파 때 저장한 값을 씁니다",
    "A small network and a random batch: the numerical gradient costs two forward passes "
    "per parameter, so a full-size 784-50-10 network would take a while.":
        "작은 신경망과 무작위 배치를 씁니다. 수치 미분은 매개변수 하나마다 순전파를 두 번 "
        "하므로, 실제 크기(784-50-10)의 신경망으로는 시간이 꽤 걸립니다.",
    "The loss adds 1e-7 inside the log, which backprop's (y - t) / N ignores: the two "
    "agree to about 1e-6 relative, never exactly. Bugs give 1e-1 or more.":
        "손실은 log 안에 1e-7을 더하지만 역전파의 (y - t) / N은 이를 무시하므로, 두 기울기는 "
        "상대 오차 1e-6 정도까지만 일치하고 정확히 같지는 않습니다. 버그가 있으면 1e-1 "
        "이상이 나옵니다.",
    # --- training on MNIST
    "One step: backprop gradients of the batch, then params -= lr * grad, in place.\n\nIn "
    "place matters: the layers hold the very arrays in ``net.params``. Returns the batch\n"
    "loss from the forward pass that ``net.gradient`` ran (before the update).":
        "한 단계: 배치의 기울기를 역전파로 구한 다음, 제자리에서 params -= lr * grad.\n\n"
        "제자리 갱신이 중요합니다. 계층들이 ``net.params``의 배열 자체를 가지고 있기\n"
        "때문입니다. ``net.gradient``가 실행한 순전파의 배치 손실(갱신 전)을 반환합니다.",
    "Train ``net`` with mini-batch SGD and return its history.\n\nx_train: (N, D), t_train: "
    "(N,) labels or (N, C) one-hot; likewise the test set.\nBatches are drawn with "
    "replacement, as in the book, from ``np.random.default_rng(seed)``\n(an epoch's at once) "
    "so that a run is reproducible. One epoch is N / batch_size\niterations; after each one, "
    "and after the last iteration (if ``eval_every_epoch``), the\naccuracy on the whole test "
    "set and on 10,000 of the training images (see\n``evaluation_sample``) is recorded.\n\n"
    "Returns a dict: ``loss`` (one float per iteration), "
    "``epoch_iter``, ``train_acc`` and\n``test_acc`` (one entry per evaluation).":
        "``net``을 미니배치 SGD로 학습시키고 그 기록을 반환합니다.\n\n"
        "x_train: (N, D), t_train: (N,) 레이블 또는 (N, C) 원-핫 정답. 시험 데이터도\n"
        "마찬가지입니다. 미니배치는 책처럼 복원 추출하되, 실행을 재현할 수 있도록\n"
        "``np.random.default_rng(seed)``로(한 에폭 분량을 한 번에) 뽑습니다.\n"
        "1에폭은 N / batch_size회 반복입니다. 매 에폭이 끝날 때와 마지막 반복이 끝날 때\n"
        "(``eval_every_epoch``이면) 시험 데이터 전체와 훈련 데이터 중 10,000개\n"
        "(``evaluation_sample`` 참고)에 대한 정확도를 기록합니다.\n\n"
        "딕셔너리를 반환합니다: ``loss``(반복마다 float 하나), ``epoch_iter``,\n"
        "``train_acc``, ``test_acc``(평가마다 하나씩).",
    "(iteration, future accuracies), in order": "(반복, 나중에 나올 정확도), 순서대로",
    "an error in the evaluation is raised here": "평가 중에 난 오류는 여기서 발생합니다",
    "One BLAS thread: a second gains nothing on a 100-row batch, and with one the run does "
    "not depend on the machine's number of cores. Another core evaluates.":
        "BLAS 스레드는 하나만 씁니다. 100행 배치에서는 두 번째 스레드로 얻는 것이 없고, "
        "하나면 실행 결과가 컴퓨터의 코어 수와 상관없이 같습니다. 정확도 평가는 다른 "
        "코어가 맡습니다.",
    "A future of ``accuracies`` of a copy of ``net`` as it is now, computed by\n"
    "``evaluator``'s thread while training goes on (it costs a step nothing but the copy).\n"
    "A network that cannot be copied is evaluated here and now instead.":
        "지금 상태의 ``net``을 복사한 신경망의 ``accuracies``를 담을 Future.\n"
        "학습이 계속되는 동안 ``evaluator``의 스레드가 계산합니다(한 단계에 드는 비용은\n"
        "복사뿐입니다). 복사할 수 없는 신경망은 대신 여기서 바로 평가합니다.",
    "an attribute that copy refuses (a generator, say)":
        "copy가 복사하지 못하는 속성(예: 제너레이터)",
    "one draw per epoch: 15 us less a step": "에폭마다 한 번에 뽑습니다. 한 단계에 15 us 덜 듭니다",
    "after every epoch, and once more after the last iteration":
        "매 에폭이 끝날 때마다, 그리고 마지막 반복 뒤에 한 번 더",
    "(x, t) of ``size`` samples drawn at random without replacement, in their order.\n\n"
    "The training accuracy after each epoch is measured on these: on all 60,000 images it\n"
    "would cost a quarter of the training time, and the sample's accuracy is within ~0.002\n"
    "of the whole set's. (Not every sixth image: MNIST's training set is ordered, and such a"
    "\nsample is off by 0.01.)":
        "복원 없이 무작위로 뽑은 ``size``개의 표본 (x, t)(원래 순서대로).\n\n"
        "매 에폭 뒤의 훈련 정확도는 이 표본으로 잽니다. 60,000개 전체로 재면 학습 시간의\n"
        "4분의 1이 들고, 표본의 정확도는 전체의 정확도와 0.002 안팎으로 같습니다. (여섯\n"
        "번째마다 하나씩 뽑으면 안 됩니다. MNIST 훈련 데이터는 순서가 있어서 그런 표본은\n"
        "0.01만큼 어긋납니다.)",
    "A tqdm bar (widget in Jupyter, text elsewhere), or None when disabled.":
        "tqdm 진행 막대(Jupyter에서는 위젯, 그 밖에서는 텍스트). 끄면 None.",
    "Draw ``history`` from :func:`solutions.training.train` and return the figure.\n\nLeft: "
    "the mini-batch loss per iteration, with a moving average (window 100) because a\n"
    "single batch's loss is noisy. Right: train and test accuracy after each epoch "
    "(plotted\nat its iteration); two close curves mean the network is not overfitting. "
    "The words are\nin ``lang`` (default: the notebook's), in a font that has its letters.":
        "``train``이 반환한 ``history``를 그래프로 그리고 그 Figure를 반환합니다.\n\n"
        "왼쪽: 반복마다의 미니배치 손실. 배치 하나의 손실은 잡음이 많으므로 이동\n"
        "평균(구간 100)도 함께 그립니다. 오른쪽: 매 에폭 뒤의 훈련 정확도와 시험\n"
        "정확도(그 반복 위치에 표시). 두 곡선이 가까우면 과대적합되지 않은 것입니다.\n"
        "글자는 ``lang``(기본값: 노트북의 언어)으로, 그 글자가 있는 글꼴로 씁니다.",
    "text takes its font when it is made": "글자의 글꼴은 글자를 만들 때 정해집니다",
    "float32 halves the memory and the time of training; the gradient checks above need "
    "float64, training does not (the accuracy is the same).":
        "float32는 학습의 메모리와 시간을 절반으로 줄입니다. 앞의 기울기 확인에는 float64가 "
        "필요하지만 학습에는 필요하지 않습니다(정확도는 같습니다).",
}
