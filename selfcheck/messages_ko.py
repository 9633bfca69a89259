"""Korean translations of :data:`selfcheck.messages.MESSAGES` (merged there as ``"ko"``).

Every key of the English table, with exactly the same ``{fields}`` (``tests/test_korean.py``
checks both). Terms as in the book's Korean edition (밑바닥부터 시작하는 딥러닝): 순전파,
역전파, 기울기, 국소적 미분, 연쇄법칙, 형상, 배치, 덧셈 노드, 곱셈 노드, 상류.
A field such as ``{what}`` is an English code name ("Relu.backward's dx"), so no Korean
particle (이/가, 을/를) is attached to a field: its form would depend on how it is read.
"""

MESSAGES = {
    # --- shapes and types -----------------------------------------------------------
    "returned_none": "{what}의 반환값이 None입니다. `return`을 빠뜨리지 않았나요?",
    "gradient_none": "{what}의 값이 None입니다. backward가 값을 설정하기 전에 읽지 않았나요? "
                     "역전파 순회 전에 계층의 dW와 db로 만든 딕셔너리에는 그때 계층이 가진 "
                     "None이 그대로 남습니다. 딕셔너리는 순회가 끝난 뒤에 만드세요. 아니면 "
                     "`return`을 빠뜨리지 않았나요?",
    "not_numbers": "{what}의 반환값({type})은 실수 배열이 아닙니다.",
    "low_precision": "{what}의 자료형은 {dtype}이지만 검사는 float64 배열을 넘깁니다. 입력의 "
                     "자료형 그대로 계산하고 더 낮은 정밀도로 바꾸지 마세요. {dtype}로 반올림한 "
                     "기울기는 수치 미분으로 구한 기울기와 구별할 수 없습니다.",
    "not_float": "{what}은(는) {dtype} 배열이라 기울기 값을 담을 수 없습니다(값이 정수나 "
                 "True, False가 됩니다). np.zeros_like(a)는 a의 자료형을 따르므로 "
                 "np.zeros_like(self.mask)는 불리언 배열을 만듭니다. np.zeros_like(dout)나 "
                 "dout.copy()처럼 실수 배열에서 시작하세요.",
    "wrong_shape": "{what}의 형상이 {got}입니다. 기대한 형상은 {expected}입니다.",
    "not_pair": "{what}의 반환값은 기울기 두 개, 즉 (dx, dy)여야 합니다. 실제 반환값의 "
                "형식은 {type}입니다.",
    "not_finite": "{what}에 NaN 또는 무한대가 들어 있습니다.",
    "shape_transposed": "전치되어 있습니다. 매개변수의 기울기는 그 매개변수와 형상이 같습니다"
                        "(dW라면 x.T @ dout의 형상인 (D, M)).",
    "shape_transposed_dx": "전치되어 있습니다. dx는 입력의 형상 (N, D)입니다. dout (N, M)과 "
                           "W (D, M)로 만들어 보세요.",
    "shape_keepdims": "합한 축을 남겼습니다(keepdims=True). db는 b의 형상 (M,)으로, 출력마다 "
                      "값이 하나입니다.",
    "shape_summed_all": "모든 축을 따라 합했습니다. 배치 축(axis=0)만 따라 합해야 출력마다 "
                        "값이 하나인 형상 (M,)이 됩니다.",
    "shape_not_summed": "배치에 대해 합하지 않았습니다. 순전파 때 b가 N개의 데이터 모두에 "
                        "브로드캐스트되었으므로, 그 기울기는 0번째 축을 따라 합해야 합니다.",
    "shape_wrong_axis": "엉뚱한 축을 따라 합했습니다. 배치 축은 0번째 축입니다.",
    "shape_not_reshaped": "dx는 입력이 들어온 형상 그대로 돌려보내야 합니다. "
                          "self.original_x_shape로 reshape하세요.",
    "shape_swapped_params": "다른 매개변수의 형상입니다. W와 b(또는 1층과 2층)가 서로 "
                            "뒤바뀌지 않았나요?",
    # --- values --------------------------------------------------------------------
    "mismatch": "{what}: {reason} (상대 오차 {error:.1e}, 허용 오차 {tol:.0e}).",
    "reason_numerical": "수치 미분으로 구한 기울기와 일치하지 않습니다",
    "reason_expected": "기대한 값과 일치하지 않습니다",
    "scalar_difference": "기대한 값은 {expected:.6g}, 실제 값은 {got:.6g}입니다.",
    "first_difference": "처음으로 다른 원소(인덱스 {index})의 기대한 값은 {expected:.6g}, "
                        "실제 값은 {got:.6g}입니다.",
    # --- generic relations ----------------------------------------------------------
    "factor_n": "정확히 N = {n}(배치 크기)배 큽니다. ÷ N을 빠뜨리지 않았나요?",
    "factor_inverse_n": "정확히 N = {n}(배치 크기)분의 1 크기입니다. N으로 나누거나 평균을 "
                        "내면 안 되는 곳에서 그렇게 하지 않았나요?",
    "sign": "부호가 반대입니다(올바른 기울기에 정확히 -1을 곱한 값입니다).",
    "transposed_values": "올바른 기울기를 전치한 값입니다.",
    "all_zero": "값이 모두 0입니다. 기울기를 계산만 하고 반환하거나 저장하지 않은 것은 "
                "아닌가요?",
    # --- named mistakes ---------------------------------------------------------------
    "mul_not_swapped": "입력을 서로 바꾸지 않았습니다. x에 대한 기울기는 dout에 *다른* 입력 "
                       "y를 곱한 값이고, y에 대한 기울기는 dout에 x를 곱한 값입니다.",
    "mul_forgot_dout": "dout이 빠졌습니다. 연쇄법칙에 따라 각 국소적 미분(다른 쪽 입력)에 "
                       "상류에서 흘러온 기울기 dout을 곱해야 합니다.",
    "add_split_dout": "dout을 두 입력에 나누어 보냈습니다. 덧셈 노드는 dout 전체를 각 입력에 "
                      "그대로 전달합니다.",
    "add_not_passed_on": "덧셈 노드는 dout을 두 입력에 그대로 전달합니다(dx = dy = dout).",
    "relu_mask_inverted": "ReLU의 마스크가 반대로 적용되었습니다. x > 0인 곳에서는 dout을 "
                          "통과시키고, self.mask가 True인 곳(x <= 0)에서는 0으로 만들어야 "
                          "합니다.",
    "relu_mask_from_dout": "마스크를 dout에서 만들었습니다. 마스크는 상류에서 흘러온 기울기가 "
                           "아니라 순전파의 입력에서 만든 것(self.mask)이어야 합니다.",
    "relu_forgot_dout": "dx가 마스크 그 자체입니다. dout을 마스크로 대신하지 말고, "
                        "(연쇄법칙에 따라) dout에 곱하세요.",
    "relu_unmasked": "dx가 dout 그대로입니다. self.mask가 True인 곳을 0으로 만드세요.",
    "sigmoid_missing_one_minus_y": "(1 - y) 항이 빠졌습니다. 시그모이드의 국소적 미분은 "
                                   "y (1 - y)입니다.",
    "sigmoid_missing_y": "y 항이 빠졌습니다. 시그모이드의 국소적 미분은 y (1 - y)입니다.",
    "sigmoid_uses_x": "출력 y(self.out)를 써야 할 곳에 입력 x를 썼습니다. 국소적 미분은 "
                      "출력으로 나타낸 y (1 - y)입니다.",
    "sigmoid_forgot_dout": "dout이 빠졌습니다. 연쇄법칙에 따라 국소적 미분 y (1 - y)에 "
                           "상류에서 흘러온 기울기를 곱해야 합니다.",
    "sigmoid_overflow": "|x|가 클 때 NaN 또는 무한대가 나옵니다. 그런 x에서는 np.exp(-x)가 "
                        "오버플로됩니다. 저장해 둔 출력 y = self.out은 오버플로되지 않으니, "
                        "미분을 y로 나타내세요.",
    "sigmoid_forward_precedence": "순전파가 1 / 1 + np.exp(-x), 즉 1 + exp(-x)를 계산합니다. "
                                  "1 / (1 + np.exp(-x))로 쓰세요.",
    "affine_db_mean": "db를 배치에 대해 합하지 않고 평균을 냈습니다. b는 모든 데이터에 "
                      "더해지므로, 그 기울기는 배치 축을 따라 합해야 합니다.",
    "softmax_missing_n": "÷ N(배치 크기)이 빠졌습니다. 손실은 배치에 대한 평균이므로 "
                         "dx = (y - t) / N입니다.",
    "softmax_missing_labels": "정답이 빠졌습니다. dx = (y - t) / N입니다. 정답이 레이블로 "
                              "주어지면 각 데이터의 정답 클래스 자리에서 1을 빼세요.",
    "softmax_one_hot_as_labels": "원-핫 정답 t (N, C)가 레이블 (N,)을 기대하는 코드에 "
                                 "들어갔습니다. backward에는 두 형식의 정답이 모두 "
                                 "들어옵니다. 둘 다 처리하세요. 예를 들어 t.ndim == 2이면 "
                                 "t.argmax(axis=1)로 원-핫 정답을 레이블로 바꾸세요.",
    "softmax_overflow": "점수가 클 때 NaN 또는 무한대가 나옵니다. np.exp를 계산하기 전에 각 "
                        "행의 최댓값을 빼지 않으면 softmax가 오버플로됩니다.",
    "loss_negative": "손실이 음수입니다. 교차 엔트로피 오차는 음수가 될 수 없습니다. "
                     "마이너스 부호를 빠뜨리지 않았나요(-sum(t * log y) / N)?",
    # --- the hidden checks' titles (selfcheck.assignment names them) ---------------------
    "check_apple_example": "사과 쇼핑 그래프: 가격 220, 기울기 2.2, 110, 200",
    "check_apple_orange_example": "사과와 귤 쇼핑 그래프: 715, 기울기 110, 2.2, 3.3, 165, 650",
    "check_returns_pair": "x, y와 형상이 같은 (dx, dy)를 반환",
    "check_pair_numerical": "dx, dy가 수치 미분으로 구한 기울기와 일치",
    "check_dx_shape": "dx의 형상이 x와 같음",
    "check_dx_numerical": "dx가 수치 미분으로 구한 기울기와 일치",
    "check_relu_edge_inputs": "데이터 하나짜리 배치, 1차원과 3차원 입력, 모두 음수인 입력",
    "check_sigmoid_large_inputs": "|x|가 클 때: 유한하고 올바른 포화 영역의 기울기",
    "check_affine_shapes": "dx, self.dW, self.db의 형상이 올바름",
    "check_affine_numerical": "dx, dW, db가 수치 미분으로 구한 기울기와 일치",
    "check_affine_nd_input": "(N, d1, d2) 형상의 입력: dx도 그 형상으로 돌려줌",
    "check_batch_of_one": "데이터 하나짜리 배치",
    "check_scores_shape": "dx의 형상이 점수와 같음",
    "check_one_hot": "원-핫 정답: dx가 수치 미분으로 구한 기울기와 일치",
    "check_labels": "정답 레이블: dx가 수치 미분으로 구한 기울기와 일치",
    "check_large_logits": "점수가 클 때: 유한하고 (y - t) / N과 같음",
    "check_net_all_parameters": "W1, b1, W2, b2의 기울기를 담은 딕셔너리",
    "check_net_numerical": "각 매개변수의 기울기가 올바름",
    "check_net_fresh_forward": "(x, t)로 순전파를 직접 수행",
    "check_net_leaves_parameters": "매개변수를 바꾸지 않음",
    "check_net_labels_and_one_hot": "정답 레이블과 원-핫 정답의 결과가 같음",
    "check_is_backprop": "유한 차분이 아니라 역전파로 계산(정확하고, 실제 크기에서도 빠름)",
    "check_mnist_accuracy": "여러분의 신경망이 MNIST를 학습함",
    # --- self-check ----------------------------------------------------------------
    "selfcheck_title": "자가 점검 (공개된 입력으로 확인합니다. 채점에는 다른 입력을 씁니다)",
    "selfcheck_pass": "자가 점검 통과",
    "selfcheck_not_applicable": "'{part}'에는 자가 점검이 없습니다. 이 부분은 여러분의 "
                                "신경망을 MNIST로 학습시켜 채점합니다.",
    "net_layer_failed": "TwoLayerNet은 여러분이 만든 계층으로 구성되는데, {method}의 자가 "
                        "점검이 실패합니다. 그것부터 고치세요.",
    "missing_class": "`{name}` 클래스가 정의되어 있지 않습니다. `class {name}` 정의가 있는 "
                     "셀(과 그 위의 모든 셀)을 실행하고, 클래스 이름은 주어진 대로 두세요.",
    # --- calls ---------------------------------------------------------------------
    "not_written": "{what}의 코드를 아직 작성하지 않았습니다(NotImplementedError가 "
                   "발생했습니다). `raise NotImplementedError(...)` 줄을 여러분의 코드로 "
                   "바꾸세요.",
    # Python's own error text stays as it is, as code: `ValueError: shapes ... not aligned`.
    "raised": "{what}에서 `{error_type}: {error}` 예외가 발생했습니다{where}.",
    "raised_where": "({function}, {line}번째 줄: `{code}`)",
    "name_not_defined": "검사가 {what}을(를) 실행하는 곳에는 `{name}`이(가) 정의되어 "
                        "있지 않습니다. 검사는 주어진 코드와 답안 셀만 실행하고 노트북의 다른 "
                        "셀(예: 보이는 검사의 변수)은 실행하지 않습니다. 메서드의 인수와 "
                        "self에 저장된 값만 쓰세요. backward는 순전파 때 forward가 저장한 "
                        "값(self.x, self.mask, self.out 등)을 씁니다.",
    "net_shape_error": "backward 안에서 형상 오류가 났다면 대개 계층을 순전파 순서대로 "
                       "호출했거나(역전파는 마지막 계층에서 첫 계층 쪽으로 진행해야 "
                       "합니다), 한 계층의 backward가 돌려준 기울기를 그 앞 계층에 넘기지 "
                       "않았기 때문입니다.",
    "net_missing_last_layer": "lastLayer.backward를 호출하지 않았습니다. 역전파는 손실에서 "
                              "시작합니다. self.layers의 계층들보다 먼저 "
                              "self.lastLayer.backward(1)을 호출하세요.",
    "net_layers_hold_copies": "계층들이 self.params의 배열이 아니라 매개변수의 복사본을 "
                              "가지고 있습니다. 학습은 self.params를 제자리에서 갱신하므로, "
                              "이대로는 계층들이 전혀 학습되지 않습니다.",
    "net_not_dict": "TwoLayerNet.gradient는 딕셔너리를 반환해야 합니다(실제 반환값의 형식: "
                    "{type}).",
    "net_missing_keys": "TwoLayerNet.gradient가 반환한 딕셔너리에 빠진 키가 있습니다: "
                        "{missing}. W1, b1, W2, b2가 모두 있어야 합니다.",
    "net_replaced_params": "TwoLayerNet.gradient가 self.params['{key}'] 자체를 다른 배열로 "
                           "바꿔 놓았습니다. gradient는 기울기만 계산해야 합니다(계층들은 "
                           "원래 배열을 가지고 있습니다).",
    "net_changed_params": "TwoLayerNet.gradient가 self.params['{key}']의 값을 바꿨습니다. "
                          "gradient는 기울기만 계산해야 하며, 매개변수를 갱신하면 안 됩니다.",
    "net_given_code_changed": "TwoLayerNet에 주어진 params, layers, lastLayer가 더 이상 "
                              "없습니다({error}). 주어진 코드를 원래대로 되돌리세요.",
    "attribute_not_set": "{what}에서 self.{name} 값을 설정하지 않았습니다. 매개변수의 "
                         "기울기를 self.{name}에 저장하세요.",
    "probe_ordinary": "평범한 입력에서",
    "probe_extreme": "1e-300부터 1e300까지의 입력에서",
    "probe_saturated": "포화된 입력(8 <= |x| <= 30)에서",
    "probe_large_bias": "편향이 1e12일 때",
    "probe_offset_scores": "점수에 1e6을 더했을 때",
    "probe_full_size": "실제 크기({shape})에서",
    "probe_wide": "폭이 넓은 입력({shape})에서",
    "not_backprop_slow": "{what}이(가) {where} {seconds:g}초 넘게 걸렸습니다. numpy 배열 "
                         "연산으로 하는 역전파라면 몇 밀리초면 됩니다. 수치 미분(순전파의 "
                         "유한 차분)으로 구한 기울기는 이만큼 느리고, 역전파가 아니므로 이 "
                         "부분의 점수를 받을 수 없습니다. 모든 원소를 도는 파이썬 반복문도 "
                         "이만큼 느립니다. 배열 전체로 계산하세요(행렬 곱, 축을 따라 "
                         "합하기).",
    "not_backprop_failed": "{what}은(는) 평범한 입력에서는 맞지만 {where} 실패합니다"
                           "({reason}). 역전파는 어떤 입력에서도 동작하지만, 수치 미분(순전파의 "
                           "유한 차분)으로 구한 기울기는 그렇지 않으므로 이 부분의 점수를 받을 "
                           "수 없습니다.",
    "not_backprop_inconsistent": "{what}은(는) 수치 미분 검사는 통과하지만 다른 평범한 "
                                 "입력에서는 다른 기울기를 냅니다(상대 오차 {error:.1e}). "
                                 "역전파는 어떤 입력에서도 올바른 기울기를 냅니다. 다른 방법"
                                 "(예를 들어 수치 미분)으로 구한 기울기는 이 부분의 점수를 "
                                 "받을 수 없습니다.",
    "not_backprop_inexact": "{what}은(는) 올바른 기울기에 가깝지만 {where} 정확하지 "
                            "않습니다(상대 오차 {error:.1e}, 역전파라면 {tol:.0e} 미만). 순전파의 "
                            "유한 차분이 바로 그렇습니다. 수치 미분으로 구한 기울기는 역전파가 "
                            "아니므로 이 부분의 점수를 받을 수 없습니다.",
    "affine_product_shapes": "형상이 맞지 않는 행렬 곱입니다. 형상을 적어 보세요. x는 "
                             "(N, D), W는 (D, M), dout은 (N, M)이고, dx는 (N, D), dW는 "
                             "(D, M)이어야 합니다. 이들의 어떤 곱(필요하면 전치해서)이 각각을 "
                             "줄까요?",
    "affine_elementwise_product": "`*`는 원소별 곱인데, 이 형상들은 브로드캐스트되지 "
                                  "않습니다. x @ W의 기울기도 행렬 곱입니다. dW = x.T @ dout "
                                  "(D, M), dx = dout @ W.T (N, D)이니 np.dot이나 @로 쓰세요.",
    "net_missing_forward": "gradient에서 먼저 self.loss(x, t)를 실행했나요? 각 계층의 "
                           "backward에는 순전파 때 저장해 둔 값이 필요합니다.",
    "affine_changed_params": "Affine.backward가 self.{name}을(를) 바꾸었습니다. backward는 "
                             "기울기(self.dW, self.db, dx)만 계산합니다. 매개변수 갱신(W -= "
                             "lr * dW)은 모든 기울기를 구한 뒤 학습 루프가 할 일입니다.",
    "net_reads_own_attribute": "검사는 여러분의 gradient를 책의 계층으로 실행합니다. 이 "
                               "계층에는 책의 속성만 있습니다({kind}: {keeps}). 기울기는 "
                               "여러분 계층에만 있는 속성(여기서는 `{name}`)이 아니라 각 "
                               "Affine의 dW와 db에서 읽으세요.",
    "net_stand_ins_subclassed": "검사는 여러분의 gradient를 여러분 클래스의 인스턴스로 "
                                "만든 책의 계층으로 실행합니다. 그런데 여러분의 {layers} "
                                "클래스는 계층이 자기만의 forward와 backward를 가질 수 없게 "
                                "되어 있어(`__dict__` 없는 `__slots__`, 또는 그 이름의 "
                                "`property`) 검사의 계층이 그 하위 클래스의 인스턴스입니다. "
                                "계층은 `type(layer) == {kind}`가 아니라 "
                                "`isinstance(layer, {kind})`로 고르세요.",
    "not_a_class": "`{name}`은(는) 클래스가 아니라 {type}입니다. `class {name}(...)` 정의를 "
                   "주어진 대로 두세요.",
    # --- reports and the MNIST check -----------------------------------------------
    "report_points": "{title}: {score} / {max_score}점",
    "report_same_reason": "(같은 이유)",
    "curve_title": "MNIST에서 학습한 여러분의 신경망 (채점기 실행)",
    "softmax_dout_misused": "dout = {dout:g}일 때 SoftmaxWithLoss.backward(dout)가 "
                            "dout * (y - t) / N(연쇄법칙)도, (y - t) / N(마지막 계층이라 "
                            "dout이 1이므로 dout을 쓰지 않는 책의 코드)도 아닙니다. dout을 "
                            "곱하거나 아예 쓰지 마세요.",
    "layer_state_carried": "{what}은(는) 계층이 이미 한 번(다른 입력으로 순전파와 역전파) "
                           "쓰인 뒤에는 다른 값을 냅니다(같은 입력의 새 계층에 대한 상대 오차 "
                           "{error:.1e}). backward는 가장 최근의 순전파가 저장한 값만 써야 "
                           "합니다. 이전 호출에서 남은 것(지난 기울기에 더한 기울기, 첫 "
                           "호출에서만 계산한 값)을 쓰면 학습에서 첫 호출을 뺀 모든 호출이 "
                           "틀립니다.",
    "needs_ordinary_inputs": "{what}은(는) 이 특수한 경우에는 맞지만, 평범한 입력에 대한 "
                             "검사({title})도 통과해야 점수에 들어갑니다. 특수한 경우의 "
                             "점수는 일반적으로 올바른 역전파에만 주어집니다.",
    "check_could_not_run": "여러분의 코드에서 이 검사를 실행할 수 없었습니다"
                           "(`{error_type}: {error}`).",
    "mnist_reached": "{iterations}회 반복 후 시험 정확도 {accuracy:.4f}",
    "mnist_too_low": "신경망이 {reached}에 도달했습니다. {threshold:.2f} 이상이어야 합니다.",
    "mnist_passed": "{reached}에 도달 (기준 {threshold:.2f})",
    "mnist_substituted": " (여러분의 {layers}이(가) 검사를 통과하지 못해 참조 구현을 사용함)",
    "mnist_diverged": "학습이 발산했습니다: 매개변수가 NaN 또는 무한대가 되었습니다.",
    "mnist_too_slow": "MNIST 학습이 {seconds:g}초 안에 {iterations}회 반복을 끝내지 못했습니다. "
                      "역전파라면 이미지 100장짜리 배치 하나에 1밀리초 정도 걸립니다.",
    "mnist_wrong_start": "MNIST 학습이 채점기가 정한 매개변수에서 시작하지 않았습니다. "
                         "TwoLayerNet은 주어진 self.params의 배열을 그대로 써야 합니다.",
    "mnist_bad_run": "MNIST 학습이 채점기가 요청한 대로 실행 기록을 보고하지 않았습니다"
                     "(약속한 상태와 돌려보낸 상태가 다르거나, 신경망 형상의 매개변수가 "
                     "아닙니다).",
    "mnist_gradient_differs": "학습 {step}번째 단계에서 {key}의 변화량이 같은 매개변수와 "
                              "배치에 대한 역전파 기울기에 -lr을 곱한 값과 다릅니다(상대 오차 "
                              "{error:.1e}, 허용 오차 {tol:.0e}).",
    "mnist_not_run": "MNIST 검사를 실행하지 않았습니다: TwoLayerNet.gradient가 아직 검사를 "
                     "통과하지 못했습니다.",
    "timed_out": "{what}이(가) {seconds:g}초 안에 끝나지 않아 채점기가 멈췄습니다. 끝나지 않는 "
                 "반복문이나 필요 이상으로 느린 코드가 있나요?",
    "process_ended": "{what}이(가) 여러분의 코드를 실행하는 프로세스를 끝냈습니다({how}). "
                     "코드에서 exit(), os._exit(), quit()를 호출하지 마세요.",
    "channel_broken": "{what}이(가) 채점기의 전용 통신 채널에 쓰거나 채널을 망가뜨렸습니다({how}).",
    "reply_too_large": "{what}이(가) 이 질문에 맞을 수 있는 최대 {limit:,}바이트를 넘는 "
                       "{size:,}바이트를 돌려보내 채점기가 멈췄습니다. 입력보다 훨씬 큰 배열을 "
                       "반환하지 않나요?",
    "budget_exhausted": "이 노트북의 채점 시간 예산({seconds:g}초)이 이 검사 전에 다 떨어져 "
                        "검사를 실행하지 않았습니다. 필요 이상으로 느린 코드가 있나요?",
    "budget_note": "이 노트북의 채점 시간 예산({seconds:g}초)이 다 떨어졌습니다. 그때까지 채점한 "
                   "부분의 점수는 그대로이고, 남은 검사는 0점입니다.",
    "see_note": "채점하지 않았습니다: 위의 안내를 보세요.",
    "grading_stopped": "이 노트북의 채점이 도중에 멈췄습니다({reason}). 남은 검사는 0점입니다.",
    "stand_in_refused": "검사는 여러분의 신경망을 책의 계층으로 실행합니다. 이 계층은 검사가 "
                        "직접 구성한 신경망에서, 검사가 loss나 gradient를 호출하는 동안에만 "
                        "계산합니다",
    "stand_in_too_many": "검사는 여러분의 신경망을 책의 계층으로 실행하는데, 한 번의 호출에서 "
                         "{kind}.{method}에 배치 {limit}번 분량보다 많은 계산을 요청했습니다. "
                         "역전파는 계층마다 순전파와 역전파를 한 번씩만 실행합니다(손실의 수치 "
                         "미분은 역전파가 아닙니다)",
    "stand_in_no_forward": "검사는 여러분의 신경망을 책의 계층으로 실행하는데, "
                           "{kind}.backward가 순전파보다 먼저 실행되어 기울기를 계산할 저장된 "
                           "값이 없습니다",
    "stand_in_bad_input": "검사는 여러분의 신경망을 책의 계층으로 실행하는데, "
                          "{kind}.{method}에 이 신경망이 주는 것과 다른 형상이나 형식의 입력이 "
                          "들어왔습니다",
    "too_many_restarts": "여러분의 코드가 자신을 실행하는 프로세스를 {restarts}번 끝내거나 "
                         "망가뜨려서 채점기가 더 이상 실행하지 않았습니다. 남은 검사는 "
                         "0점입니다.",
    "stopped_earlier": "{what}은(는) 다시 실행하지 않았습니다: 이미 한 번 끝나지 "
                       "않았습니다({reason}).",
    "cell_failed": "'{cell}' 셀에서 `{error_type}: {error}` 예외가 발생했습니다{where}. "
                   "그래서 이 셀이 정의하는 것이 없습니다.",
    "cell_missing": "노트북에 '{cell}' 셀이 없습니다(삭제되었거나 메타데이터가 "
                    "바뀌었습니다). 그래서 `{name}`이(가) 정의되어 있지 않습니다.",
    "not_a_notebook": "이 파일을 Jupyter 노트북으로 읽을 수 없습니다: {error}. JupyterLab이 저장한 "
                      ".ipynb 파일을 제출하세요.",
    "not_a_regular_file": "일반 파일이 아니므로({kind}) 채점하지 않았습니다. JupyterLab이 저장한 "
                          ".ipynb 파일을 제출하세요.",
    "grader_failed": "채점기가 이 제출물을 채점하지 못했습니다: {reason}. 강사에게 다시 채점해 "
                     "달라고 요청하세요.",
    "wrong_assignment": "이 노트북은 역전파 과제가 아닙니다: 과제의 답안 셀({cells})이 하나도 "
                        "없습니다. 다른 과제의 노트북을 제출하지 않았나요?",
    "extra_cells_ignored": "추가한 코드 셀 {count}개는 과제에 속하지 않아 채점기가 실행하지 "
                           "않습니다(코드는 답안 셀 안에 작성하세요).",
    "extra_cells_needed": "추가한 셀에서 정의해 답안에서 쓰는 {names}은(는) 채점기가 답안을 "
                          "실행할 때 정의되어 있지 않습니다. 그것을 쓰는 답안 셀 안으로 "
                          "옮기세요.",
    "duplicate_cells": "답안 셀 {cells}이(가) 두 번 이상 있습니다. 각각 답을 쓴 마지막 "
                       "셀을 채점했습니다(노트북을 위에서부터 실행하면 최종적으로 적용되는 "
                       "셀입니다).",
    "cell_raised": "'{cell}' 셀에서 `{error_type}: {error}` 예외가 발생했습니다{where}. 그 "
                   "전에 정의된 것은 채점했습니다.",
    # --- what a check looked at ---------------------------------------------------------
    "what_of": "{owner}의 {name}",
    "what_first_gradient": "첫 번째 기울기",
    "what_second_gradient": "두 번째 기울기",
    "what_output": "출력",
    "what_loss": "손실",
    "what_apple_example": "사과 예제에서 MulLayer.backward로 구한 {name}(기대한 값 {want})",
    "what_apple_orange_example": "AddLayer.backward를 거쳐 구한 {name}(기대한 값 {want})",
    "what_nd_input": "N차원 입력에서 {what}",
    "what_batch_of_one": "데이터 하나짜리 배치에서 {what}",
    "what_large_x": "|x|가 클 때 {what}",
    "what_large_scores_labels": "점수가 크고 정답이 레이블일 때 {what}",
    "what_large_scores_one_hot": "점수가 크고 정답이 원-핫 벡터일 때 {what}",
    "what_label_targets": "정답이 레이블일 때 {what}",
    "what_one_hot_targets": "정답이 원-핫 벡터일 때 {what}",
    "what_after_other_forward": "다른 데이터로 순전파와 gradient를 실행한 뒤 구한 "
                                "{what}(gradient에서 호출될 때마다 먼저 self.loss(x, t)를 "
                                "실행하나요?)",
    "what_forward_price": "순전파로 구한 지불 금액 price",
    "what_after": "{method} 호출 뒤의 {name}",
    "reason_no_worker": "코드를 실행할 워커가 없음",
    "reason_cancelled": "채점이 취소됨",
    "what_the_call": "이 호출",
    "what_your_code": "여러분의 코드",
    "reason_given_forward": "주어진 순전파와 다릅니다. 주어진 코드를 원래대로 되돌리세요",
    # --- the notebook's own cells: helpers, visible checks, training ---------------------
    "part_mnist_training": "MNIST 학습",
    "stub_not_written": "{task}의 코드를 아직 작성하지 않았습니다. 이 줄을 여러분의 코드로 "
                        "바꾸세요.",
    "stub_your_code_here": "여기에 코드를 작성하세요",
    "hidden_checks_later": "'{part}'의 숨겨진 검사는 노트북을 채점할 때 실행됩니다.",
    "hidden_checks_not_here": "'{part}'은(는) 이 노트북의 커널이 아니라 강좌의 "
                              "IsolatedAutograde(nbgrader_config.py)가 채점합니다. 여기서는 "
                              "0점입니다",
    "visible_none": "{what}: 반환값이 None입니다. `return`을 빠뜨리지 않았나요?",
    "visible_shape": "{what}: 형상이 {got}입니다. 기대한 형상은 {expected}입니다.",
    "visible_values": "{what}: 실제 값은\n{got}\n기대한 값은\n{expected}",
    "visible_relu": "Relu.backward는 x > 0인 곳에서는 dout을 통과시키고 나머지 곳에서는 "
                    "막습니다",
    "visible_sigmoid_at_zero": "x = 0에서 Sigmoid.backward의 값은 0.25입니다",
    "visible_sigmoid_formula": "dout = 1일 때 Sigmoid.backward는 y * (1 - y)입니다",
    "visible_affine_dx": "Affine.backward의 dx는 dout W^T입니다",
    "visible_affine_dW": "Affine.dW는 x^T dout입니다",
    "visible_affine_db": "Affine.db는 dout을 배치에 대해 합한 값입니다",
    "visible_affine_nd_shape": "dx의 형상이 입력의 형상과 같습니다",
    "visible_softmax_one_hot": "정답이 원-핫 벡터일 때 dx는 (y - t) / N입니다",
    "visible_softmax_labels": "정답이 레이블일 때도 같은 값입니다",
    "visible_gradient_difference": "{key}: 최대 |역전파 - 수치 미분| = {diff:.2e}   "
                                   "상대 오차 = {relative:.2e}",
    "visible_gradient_wrong": "{key}의 역전파 기울기가 틀렸습니다",
    "visible_gradient_agrees": "✓ 역전파로 구한 기울기가 수치 미분으로 구한 기울기와 "
                               "일치합니다",
    "visible_mnist_shapes": "훈련 데이터: {x_train} {t_train}  시험 데이터: {x_test} {t_test}",
    "visible_training_skipped": "채점 중에는 건너뜁니다. 숨겨진 MNIST 검사가 여러분의 "
                                "신경망을 직접 학습시킵니다.",
    "visible_final_accuracy": "최종 훈련 정확도 {train:.4f}, 시험 정확도 {test:.4f}",
    "progress_training": "학습",
    # --- pictures: the training curves and the computational graphs ---------------------
    "plot_title": "MNIST로 학습한 TwoLayerNet",
    "plot_batch_loss": "배치 손실",
    "plot_moving_average": "이동 평균",
    "plot_iteration": "반복 횟수",
    "plot_loss": "손실",
    "plot_accuracy": "정확도",
    "plot_train": "훈련 데이터",
    "plot_test": "시험 데이터",
    "curve_with_accuracy": "{title}: 시험 정확도 {accuracy:.4f}",
    "summary_mnist_accuracy": "MNIST 시험 정확도 {accuracy:.4f}",
    "summary_curve_alt": "학습 곡선",
    "graph_apple_title": "사과 쇼핑: price = apple × apple_num × tax",
    "graph_apple_orange_title": "사과와 귤 쇼핑: price = (apple × apple_num + orange × "
                                "orange_num) × tax",
    "graph_sigmoid_title": "x = {x}, dout = {dout}에서 시그모이드 y = 1/(1 + exp(−x))",
    "graph_sigmoid_yours": "여러분의 Sigmoid.backward가 구한 값은 {dx}",
    "graph_local": "국소적 미분: {derivative}",
    "graph_forward_legend": "화살표 위: 순전파 값",
    "graph_backward_legend": "아래: 역전파 기울기 ∂{of}/∂(그 값)",
    "graph_output": "출력",
    "graph_unknown": "?  아직 구하지 못한 기울기: {reason}",
    "graph_not_computed": "계산하지 않음",
    "graph_raised": "{method}에서 {error_type} 예외 발생",
    "graph_returned": "{method}의 반환값 형식이 {type}임",
}
