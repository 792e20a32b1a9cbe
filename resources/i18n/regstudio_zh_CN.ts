<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Animation</name>
    <message>
        <source>loss J</source>
        <translation>损失 J</translation>
    </message>
    <message>
        <source>step + 1 (log scale)</source>
        <translation>步数 + 1（对数刻度）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>step {step:,}</source>
        <translation>第 {step:,} 步</translation>
    </message>
    <message>
        <source>J = {loss:.4g}</source>
        <translation>J = {loss:.4g}</translation>
    </message>
    <message>
        <source>Cancelled: no file was written.</source>
        <translation>已取消：没有写入任何文件。</translation>
    </message>
    <message>
        <source>must be a whole number from {low} to {high} (got {value})</source>
        <translation>必须是 {low} 到 {high} 之间的整数（收到 {value}）</translation>
    </message>
    <message>
        <source>must be from {low:g} to {high:g} (got {value:g})</source>
        <translation>必须在 {low:g} 到 {high:g} 之间（收到 {value:g}）</translation>
    </message>
    <message>
        <source>must be WIDTHxHEIGHT from {min_w}x{min_h} to {max_w}x{max_h} (got {w}x{h})</source>
        <translation>必须写成“宽x高”，从 {min_w}x{min_h} 到 {max_w}x{max_h}（收到 {w}x{h}）</translation>
    </message>
    <message>
        <source>must be even or log (got {value})</source>
        <translation>必须是 even 或 log（收到 {value}）</translation>
    </message>
    <message>
        <source>must be FIRST:LAST with {first} ≤ FIRST &lt; LAST ≤ {last}, the run&apos;s steps (got {low}:{high})</source>
        <translation>必须写成 FIRST:LAST，且 {first} ≤ FIRST &lt; LAST ≤ {last}，即这次训练的步数（收到 {low}:{high}）</translation>
    </message>
    <message>
        <source>{file}: the session holds no trained run (train a few steps in the window, then save)</source>
        <translation>{file}：会话中没有训练过的结果（先在窗口中训练几步，再保存）</translation>
    </message>
    <message>
        <source>{file}: the session has no points to train on</source>
        <translation>{file}：会话中没有可以训练的数据点</translation>
    </message>
    <message>
        <source>{file}: the saved parameters ({saved}) do not fit the session&apos;s model ({wanted})</source>
        <translation>{file}：保存的参数（{saved} 个）与会话的模型（{wanted} 个）不符</translation>
    </message>
    <message>
        <source>{file}: the session keeps only step {step} of its run (it was saved before regstudio kept a timeline): nothing to animate</source>
        <translation>{file}：会话只保存了这次训练的第 {step} 步（保存时 regstudio 还不保存时间轴）：没有可以做成动画的内容</translation>
    </message>
    <message>
        <source>MP4 needs the optional package imageio-ffmpeg (pip install &apos;regstudio[video]&apos;); GIF needs nothing more</source>
        <translation>MP4 需要可选的软件包 imageio-ffmpeg（pip install &apos;regstudio[video]&apos;）；GIF 不需要其他软件包</translation>
    </message>
    <message>
        <source>MP4 needs ffmpeg, which imageio-ffmpeg could not find ({reason})</source>
        <translation>MP4 需要 ffmpeg，但 imageio-ffmpeg 找不到它（{reason}）</translation>
    </message>
    <message>
        <source>{file}: name it .gif or .mp4 (the format follows the extension)</source>
        <translation>{file}：文件名须以 .gif 或 .mp4 结尾（格式由扩展名决定）</translation>
    </message>
    <message>
        <source>{file}: {reason}</source>
        <translation>{file}：{reason}</translation>
    </message>
</context>
<context>
    <name>AnimationActions</name>
    <message>
        <source>Nothing to animate yet: train a few steps first.</source>
        <translation>还没有可以做成动画的训练：请先训练几步。</translation>
    </message>
    <message>
        <source>Animated GIF (*.gif)</source>
        <translation>GIF 动画 (*.gif)</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>Export animation</source>
        <translation>导出动画</translation>
    </message>
    <message>
        <source>Cannot export animation</source>
        <translation>无法导出动画</translation>
    </message>
    <message>
        <source>Rendering {file}…</source>
        <translation>正在渲染 {file}…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Exported {frames:,} frames of steps {first:,}–{last:,} to {file} ({size:.1f} MB).</source>
        <translation>已将第 {first:,}–{last:,} 步的 {frames:,} 帧导出到 {file}（{size:.1f} MB）。</translation>
    </message>
</context>
<context>
    <name>AnimationDialog</name>
    <message>
        <source>Export animation</source>
        <translation>导出动画</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Frames per second</source>
        <translation>每秒帧数</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>evenly</source>
        <translation>均匀取样</translation>
    </message>
    <message>
        <source>on a log scale (more frames for the fast early steps)</source>
        <translation>按对数刻度（变化快的前期步数得到更多帧）</translation>
    </message>
    <message>
        <source>Steps sampled</source>
        <translation>步数取样</translation>
    </message>
    <message>
        <source>pixels</source>
        <translation>像素</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>the loss plot</source>
        <translation>损失图</translation>
    </message>
    <message>
        <source>the loss landscape</source>
        <translation>损失曲面</translation>
    </message>
    <message>
        <source>Beside the data plot</source>
        <translation>数据图旁边</translation>
    </message>
    <message>
        <source>Animated GIF or MP4 video: the name&apos;s extension chooses.</source>
        <translation>GIF 动画或 MP4 视频：由文件扩展名决定。</translation>
    </message>
    <message>
        <source>Animated GIF only: {reason}.</source>
        <translation>只能导出 GIF 动画：{reason}。</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message numerus="yes">
        <source>%n frame(s)</source>
        <translation>
            <numerusform>%n 帧</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CaptionBar</name>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Close the lesson&apos;s caption</source>
        <translation>关闭课程说明</translation>
    </message>
    <message>
        <source>The lesson&apos;s numbers now</source>
        <translation>本课此刻的数值</translation>
    </message>
</context>
<context>
    <name>Claims</name>
    <message>
        <source>step {step}: gradient descent m = {m:.4g}, c = {c:.4g}  ·  slope formula m = {fm:.4g}, c = {fc:.4g}</source>
        <translation>第 {step} 步：梯度下降 m = {m:.4g}，c = {c:.4g}  ·  斜率公式 m = {fm:.4g}，c = {fc:.4g}</translation>
    </message>
    <message>
        <source>step {step}: live run η = {lr:g}, J = {J:.4g}</source>
        <translation>第 {step} 步：当前运行 η = {lr:g}，J = {J:.4g}</translation>
    </message>
    <message>
        <source>  ·  pinned η = {lr:g}: J = {J:.4g} after {steps} steps</source>
        <translation>  ·  固定曲线 η = {lr:g}：{steps} 步后 J = {J:.4g}</translation>
    </message>
    <message>
        <source>test MSE: one shared line = {shared:.4g}, one line per group = {grouped:.4g} ({ratio:.1f}× lower)</source>
        <translation>测试 MSE：一条共用直线 = {shared:.4g}，每组一条直线 = {grouped:.4g}（低 {ratio:.1f} 倍）</translation>
    </message>
    <message>
        <source>step {step}: test accuracy {acc:.1%}, mean rating error {error:.2f} (ordinal, {count} parameters)</source>
        <translation>第 {step} 步：测试准确率 {acc:.1%}，平均评分误差 {error:.2f}（有序回归，{count} 个参数）</translation>
    </message>
    <message>
        <source>step {step}: accuracy {acc:.1%} (test {test:.1%}), cross-entropy {ce:.4g}</source>
        <translation>第 {step} 步：准确率 {acc:.1%}（测试 {test:.1%}），交叉熵 {ce:.4g}</translation>
    </message>
    <message>
        <source>step {step}: accuracy {acc:.1%}, cross-entropy {ce:.4g}</source>
        <translation>第 {step} 步：准确率 {acc:.1%}，交叉熵 {ce:.4g}</translation>
    </message>
    <message>
        <source>step {step}: degree {degree}, λ = {l2:g}: train MSE = {train:.4g}, test MSE = {test:.4g}</source>
        <translation>第 {step} 步：次数 {degree}，λ = {l2:g}：训练 MSE = {train:.4g}，测试 MSE = {test:.4g}</translation>
    </message>
    <message>
        <source>step {step}: train MSE = {train:.4g}</source>
        <translation>第 {step} 步：训练 MSE = {train:.4g}</translation>
    </message>
</context>
<context>
    <name>ColumnDialog</name>
    <message>
        <source>Choose columns</source>
        <translation>选择列</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Target (y)</source>
        <translation>目标 (y)</translation>
    </message>
    <message>
        <source>Inputs (x)</source>
        <translation>输入 (x)</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Order of the classes</source>
        <translation>类别的顺序</translation>
    </message>
    <message>
        <source>Ordinal regression: drag the labels into their order, lowest first</source>
        <translation>有序回归：把标签拖成它们的顺序，最低的在最上面</translation>
    </message>
    <message>
        <source>Order (ordinal)</source>
        <translation>顺序（有序）</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>--out {path}: is a folder; name a file in it</source>
        <translation>--out {path}：这是一个文件夹；请指定其中的一个文件</translation>
    </message>
    <message>
        <source>--out {path}: the folder {folder} is not a folder</source>
        <translation>--out {path}：{folder} 不是文件夹</translation>
    </message>
    <message>
        <source>--out {path}: the folder {folder} does not exist</source>
        <translation>--out {path}：文件夹 {folder} 不存在</translation>
    </message>
    <message>
        <source>--out {path}: the folder {folder} is not writable</source>
        <translation>--out {path}：文件夹 {folder} 不可写</translation>
    </message>
    <message>
        <source>--out {path}: cannot write: {reason}</source>
        <translation>--out {path}：无法写入：{reason}</translation>
    </message>
    <message>
        <source>{file}: dropped %n row(s) with missing values</source>
        <translation>{file}：丢弃了 %n 行含缺失值的数据</translation>
    </message>
    <message>
        <source>--references applies to --features distances</source>
        <translation>--references 只适用于 --features distances</translation>
    </message>
    <message>
        <source>--class-order applies to --model ordinal</source>
        <translation>--class-order 只适用于 --model ordinal</translation>
    </message>
    <message>
        <source>step {step}/{steps}  loss {loss:.6g}  ({seconds:.0f} s)</source>
        <translation>第 {step}/{steps} 步  损失 {loss:.6g}  （{seconds:.0f} 秒）</translation>
    </message>
    <message>
        <source>error: {reason}; no model written</source>
        <translation>错误：{reason}；未写出模型</translation>
    </message>
    <message>
        <source>{model} ({optimizer}): %n step(s), {stop}; train {train}; test {test}; wrote {out}</source>
        <translation>{model}（{optimizer}）：%n 步，{stop}；训练 {train}；测试 {test}；已写入 {out}</translation>
    </message>
    <message>
        <source>{file}: %n row(s) with a missing input have empty predictions</source>
        <translation>{file}：%n 行缺少输入，其预测为空</translation>
    </message>
    <message>
        <source>{file}: no prediction for %n row(s): the model&apos;s numbers overflow float64 there (first: row {row}); rescale the inputs</source>
        <translation>{file}：%n 行没有预测：模型在这些行的数值超出 float64 范围（第一行：第 {row} 行）；请缩放输入</translation>
    </message>
    <message>
        <source>--out {path}: {reason}</source>
        <translation>--out {path}：{reason}</translation>
    </message>
    <message>
        <source>argument {flag}: {reason}</source>
        <translation>参数 {flag}：{reason}</translation>
    </message>
    <message>
        <source>frame {frame}/{frames}  ({seconds:.0f} s)</source>
        <translation>第 {frame}/{frames} 帧（{seconds:.0f} 秒）</translation>
    </message>
    <message>
        <source>wrote {out}: %n frame(s) of steps {first}–{last} ({width}×{height}, {fps} fps), {size:.1f} MB in {seconds:.1f} s</source>
        <translation>已写入 {out}：第 {first}–{last} 步，%n 帧（{width}×{height}，每秒 {fps} 帧），{size:.1f} MB，用时 {seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>cannot install the desktop entry: {reason}: {file}</source>
        <translation>无法安装桌面启动项：{reason}：{file}</translation>
    </message>
    <message>
        <source>error: {reason}</source>
        <translation>错误：{reason}</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>error: out of memory</source>
        <translation>错误：内存不足</translation>
    </message>
    <message>
        <source>error: internal error ({kind}: {reason}); please report it</source>
        <translation>错误：内部错误（{kind}：{reason}）；请报告此问题</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>degree</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>hidden units</source>
        <translation>隐藏单元</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>group column</source>
        <translation>分组列</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>initial weights</source>
        <translation>初始权重</translation>
    </message>
    <message>
        <source>test fraction</source>
        <translation>测试比例</translation>
    </message>
    <message>
        <source>features</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>standardization</source>
        <translation>标准化</translation>
    </message>
    <message>
        <source>Add point</source>
        <translation>添加点</translation>
    </message>
    <message>
        <source>Delete point</source>
        <translation>删除点</translation>
    </message>
    <message>
        <source>Move point</source>
        <translation>移动点</translation>
    </message>
    <message>
        <source>Replace points</source>
        <translation>替换点</translation>
    </message>
    <message>
        <source>Change {setting}</source>
        <translation>更改{setting}</translation>
    </message>
    <message>
        <source>Change settings</source>
        <translation>更改设置</translation>
    </message>
</context>
<context>
    <name>Comparison</name>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>degree</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>hidden units</source>
        <translation>隐藏单元</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批量</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>init</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>groups</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>features</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>square error</source>
        <translation>平方误差</translation>
    </message>
    <message>
        <source>inputs</source>
        <translation>原始输入</translation>
    </message>
    <message>
        <source>distances</source>
        <translation>距离</translation>
    </message>
    <message>
        <source>full</source>
        <comment>the full batch</comment>
        <translation>全批量</translation>
    </message>
    <message>
        <source>on</source>
        <translation>开</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>{setting} {value}</source>
        <translation>{setting} {value}</translation>
    </message>
    <message>
        <source>other points</source>
        <translation>其他数据点</translation>
    </message>
    <message>
        <source>same settings</source>
        <translation>相同设置</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the differences in a pinned run&apos;s label</comment>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>Data</name>
    <message>
        <source>{file}: read as {encoding} text (not UTF-8)</source>
        <translation>{file}：按 {encoding} 文本读取（不是 UTF-8）</translation>
    </message>
    <message>
        <source>{file}: no column {name!r} (columns are {known})</source>
        <translation>{file}：没有列 {name!r}（现有列：{known}）</translation>
    </message>
    <message>
        <source>row {row} (line {line})</source>
        <translation>第 {row} 行（文件第 {line} 行）</translation>
    </message>
    <message>
        <source>{file}: column {name!r} cannot be both the target and the group</source>
        <translation>{file}：列 {name!r} 不能同时作为目标和分组</translation>
    </message>
    <message>
        <source>{file}: no input columns left besides the target {name!r}</source>
        <translation>{file}：除目标 {name!r} 外没有剩余的输入列</translation>
    </message>
    <message>
        <source>{file}: column {name!r} cannot be both an input and the target or group</source>
        <translation>{file}：列 {name!r} 不能既是输入又是目标或分组</translation>
    </message>
    <message>
        <source>{file}: an input column is named twice</source>
        <translation>{file}：某个输入列被指定了两次</translation>
    </message>
    <message>
        <source>{file}: no complete rows in columns {columns}</source>
        <translation>{file}：列 {columns} 中没有完整的行</translation>
    </message>
    <message>
        <source>{file}: {where}, column {name!r}: {cell!r} is not a number</source>
        <translation>{file}：{where}，列 {name!r}：{cell!r} 不是数字</translation>
    </message>
    <message>
        <source>{file}: {where}, column {name!r}: {cell!r} is not finite</source>
        <translation>{file}：{where}，列 {name!r}：{cell!r} 不是有限数</translation>
    </message>
    <message>
        <source>{file}: not UTF-16 text after its byte-order mark (bad bytes at offset {offset})</source>
        <translation>{file}：字节顺序标记之后不是 UTF-16 文本（偏移 {offset} 处字节错误）</translation>
    </message>
    <message>
        <source>{file}: not UTF-8, UTF-16, GB18030 or Windows-1252 text (bad byte at offset {offset})</source>
        <translation>{file}：不是 UTF-8、UTF-16、GB18030 或 Windows-1252 文本（偏移 {offset} 处字节错误）</translation>
    </message>
    <message>
        <source>{file}: not a text CSV file (it contains binary data)</source>
        <translation>{file}：不是文本 CSV 文件（含有二进制数据）</translation>
    </message>
    <message>
        <source>{file}: line {line}: a cell is longer than {limit:,} characters (is a closing quote missing?)</source>
        <translation>{file}：第 {line} 行：某个单元格超过 {limit:,} 个字符（是否缺少右引号？）</translation>
    </message>
    <message>
        <source>{file}: line {line}: malformed CSV ({reason})</source>
        <translation>{file}：第 {line} 行：CSV 格式错误（{reason}）</translation>
    </message>
    <message>
        <source>{file}: the file is empty</source>
        <translation>{file}：文件为空</translation>
    </message>
    <message>
        <source>{file}: row {row} (line {line}) has %n field(s) but the header has {width}</source>
        <translation>{file}：第 {row} 行（文件第 {line} 行）有 %n 个字段，但表头有 {width} 个</translation>
    </message>
    <message>
        <source>{file}: header names column {name!r} twice (again as column {position})</source>
        <translation>{file}：表头中列名 {name!r} 出现了两次（第二次是第 {position} 列）</translation>
    </message>
    <message>
        <source>{file}: the file has a header but no data rows</source>
        <translation>{file}：文件只有表头，没有数据行</translation>
    </message>
    <message>
        <source>label {label!r} was not among the training classes {classes}</source>
        <translation>标签 {label!r} 不在训练时的类别 {classes} 之中</translation>
    </message>
    <message>
        <source>no sample data set {name!r} (samples are {samples})</source>
        <translation>没有示例数据集 {name!r}（示例有：{samples}）</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Noisy line</source>
        <translation>带噪声的直线</translation>
    </message>
    <message>
        <source>Noisy cubic</source>
        <translation>带噪声的三次曲线</translation>
    </message>
    <message>
        <source>Noisy sine</source>
        <translation>带噪声的正弦曲线</translation>
    </message>
    <message>
        <source>Hidden factor (species)</source>
        <translation>隐藏因素（物种）</translation>
    </message>
    <message>
        <source>Two blobs</source>
        <translation>两团点</translation>
    </message>
    <message>
        <source>K blobs</source>
        <translation>K 团点</translation>
    </message>
    <message>
        <source>XOR</source>
        <translation>XOR（异或）</translation>
    </message>
    <message>
        <source>Circles</source>
        <translation>同心圆</translation>
    </message>
    <message>
        <source>Spiral</source>
        <translation>螺旋</translation>
    </message>
    <message>
        <source>Star ratings (1–5)</source>
        <translation>星级评分（1–5）</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Data set</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>A built-in data set to generate</source>
        <translation>要生成的内置数据集</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Rows to generate</source>
        <translation>要生成的行数</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>噪声</translation>
    </message>
    <message>
        <source>Noise (standard deviation)</source>
        <translation>噪声（标准差）</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Replace the points by a new data set (undoable)</source>
        <translation>用新的数据集替换当前的点（可撤销）</translation>
    </message>
    <message>
        <source>Click adds</source>
        <translation>点击添加</translation>
    </message>
    <message>
        <source>The class a click adds</source>
        <translation>点击画布时添加的类别</translation>
    </message>
    <message>
        <source>Test fraction</source>
        <translation>测试比例</translation>
    </message>
    <message>
        <source>Share of points held out for testing (drawn hollow)</source>
        <translation>留作测试的点所占比例（画成空心）</translation>
    </message>
    <message>
        <source>Horizontal axis</source>
        <translation>横轴</translation>
    </message>
    <message>
        <source>Vertical axis</source>
        <translation>纵轴</translation>
    </message>
    <message>
        <source>On screen</source>
        <translation>当前数据</translation>
    </message>
    <message>
        <source>Size, noise</source>
        <translation>数量、噪声</translation>
    </message>
    <message>
        <source>class {label}</source>
        <translation>类别 {label}</translation>
    </message>
    <message>
        <source>{data}, from the lesson “{lesson}”</source>
        <translation>{data}，来自课程“{lesson}”</translation>
    </message>
    <message>
        <source>clicked on the canvas</source>
        <translation>在画布上点击添加</translation>
    </message>
    <message numerus="yes">
        <source>%n point(s): {origin}</source>
        <translation>
            <numerusform>%n 个点：{origin}</numerusform>
        </translation>
    </message>
    <message>
        <source>, edited by hand</source>
        <translation>，已手动修改</translation>
    </message>
</context>
<context>
    <name>DataPlot</name>
    <message>
        <source>Data plot</source>
        <translation>数据图</translation>
    </message>
    <message>
        <source>Click to add points</source>
        <translation>点击添加数据点</translation>
    </message>
    <message>
        <source>class {label}</source>
        <translation>类别 {label}</translation>
    </message>
    <message>
        <source>boundaries P(y ≤ k) = ½ (parallel)</source>
        <translation>边界 P(y ≤ k) = ½（平行）</translation>
    </message>
    <message>
        <source>p = ½ boundary</source>
        <translation>p = ½ 边界</translation>
    </message>
    <message>
        <source>class boundary</source>
        <translation>类别边界</translation>
    </message>
    <message>
        <source>one shared line (groups ignored)</source>
        <translation>共用一条直线（不分组）</translation>
    </message>
    <message>
        <source>residuals</source>
        <translation>残差</translation>
    </message>
    <message>
        <source>hidden units 1–{last} (σ = ½)</source>
        <translation>隐藏单元 1–{last}（σ = ½）</translation>
    </message>
    <message>
        <source>hidden {k}: σ = ½</source>
        <translation>隐藏单元 {k}：σ = ½</translation>
    </message>
</context>
<context>
    <name>Features</name>
    <message>
        <source>lower Degree under Model, or choose fewer inputs when you open the data</source>
        <translation>请调低“模型”中的“次数”，或在打开数据时选择较少的输入</translation>
    </message>
    <message>
        <source>degree {degree} on %n input(s) with {groups} groups makes {features:,} features; at most {limit:,} are allowed: {advice}</source>
        <translation>{groups} 个分组、%n 个输入的 {degree} 次多项式产生 {features:,} 个特征；最多允许 {limit:,} 个：{advice}</translation>
    </message>
    <message>
        <source>degree {degree} on %n input(s) makes {features:,} features; at most {limit:,} are allowed: {advice}</source>
        <translation>%n 个输入的 {degree} 次多项式产生 {features:,} 个特征；最多允许 {limit:,} 个：{advice}</translation>
    </message>
    <message>
        <source>lower Degree under Model, or open the data with fewer inputs or rows</source>
        <translation>请调低“模型”中的“次数”，或打开输入或行数较少的数据</translation>
    </message>
    <message>
        <source>degree {degree} on %n input(s) with {groups} groups makes {features:,} features, {values:,} values for {rows:,} rows; at most {limit:,} are allowed: {advice}</source>
        <translation>{groups} 个分组、%n 个输入的 {degree} 次多项式产生 {features:,} 个特征，{rows:,} 行共 {values:,} 个值；最多允许 {limit:,} 个：{advice}</translation>
    </message>
    <message>
        <source>degree {degree} on %n input(s) makes {features:,} features, {values:,} values for {rows:,} rows; at most {limit:,} are allowed: {advice}</source>
        <translation>%n 个输入的 {degree} 次多项式产生 {features:,} 个特征，{rows:,} 行共 {values:,} 个值；最多允许 {limit:,} 个：{advice}</translation>
    </message>
    <message>
        <source>dist to ({point})</source>
        <translation>到 ({point}) 的距离</translation>
    </message>
</context>
<context>
    <name>FileActions</name>
    <message>
        <source>regstudio session (*.regstudio)</source>
        <translation>regstudio 会话 (*.regstudio)</translation>
    </message>
    <message>
        <source>Replace file</source>
        <translation>替换文件</translation>
    </message>
    <message>
        <source>{file} already exists. Replace it?</source>
        <translation>{file} 已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>打开数据</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.tsv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.tsv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open data</source>
        <translation>无法打开数据</translation>
    </message>
    <message>
        <source>{file}: column {column!r} has more than {limit} classes</source>
        <translation>{file}：列 {column!r} 的类别超过 {limit} 个</translation>
    </message>
    <message>
        <source>Open {file}</source>
        <translation>打开 {file}</translation>
    </message>
    <message numerus="yes">
        <source>{file}: read as {encoding} text; dropped %n row(s) with missing values.</source>
        <translation>
            <numerusform>{file}：按 {encoding} 文本读取；丢弃了 %n 行含缺失值的数据。</numerusform>
        </translation>
    </message>
    <message>
        <source>{file}: read as {encoding} text.</source>
        <translation>{file}：按 {encoding} 文本读取。</translation>
    </message>
    <message numerus="yes">
        <source>{file}: dropped %n row(s) with missing values.</source>
        <translation>
            <numerusform>{file}：丢弃了 %n 行含缺失值的数据。</numerusform>
        </translation>
    </message>
    <message>
        <source>{file}: column {column} has more than {limit} different numbers, too many for classes.  Open it as regression (a line through the numbers)?</source>
        <translation>{file}：列 {column} 有超过 {limit} 个不同的数值，作为类别太多了。要按回归（Regression，用一条线拟合这些数）打开吗？</translation>
    </message>
    <message>
        <source>Open as regression?</source>
        <translation>按回归打开？</translation>
    </message>
    <message>
        <source>Exporting as soon as training has caught up with the last change…</source>
        <translation>训练赶上最近一次修改后立即导出……</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>没有可导出的内容</translation>
    </message>
    <message>
        <source>Add data to train a model first.</source>
        <translation>请先添加数据并训练模型。</translation>
    </message>
    <message>
        <source>Export parameters</source>
        <translation>导出参数</translation>
    </message>
    <message>
        <source>Model JSON (*.json)</source>
        <translation>模型 JSON (*.json)</translation>
    </message>
    <message>
        <source>Cannot export parameters</source>
        <translation>无法导出参数</translation>
    </message>
    <message>
        <source>Exported the parameters at step {step:,} to {file} (untrained: step 0, the initial parameters).</source>
        <translation>已将第 {step:,} 步的参数导出到 {file}（尚未训练：第 0 步，即初始参数）。</translation>
    </message>
    <message>
        <source>Exported the parameters at step {step:,} to {file}.</source>
        <translation>已将第 {step:,} 步的参数导出到 {file}。</translation>
    </message>
    <message>
        <source>Nothing to export as code: add data and train a model first.</source>
        <translation>没有可导出为代码的内容：请先添加数据并训练模型。</translation>
    </message>
    <message>
        <source>The model is untrained (step 0): train it before exporting it as code.</source>
        <translation>模型尚未训练（第 0 步）：请先训练再导出为代码。</translation>
    </message>
    <message>
        <source>Export as code</source>
        <translation>导出为代码</translation>
    </message>
    <message>
        <source>Python script (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Cannot export as code</source>
        <translation>无法导出为代码</translation>
    </message>
    <message>
        <source>Exported the model at step {step:,} as code: {script} (numpy) and {snippet} (scikit-learn).</source>
        <translation>已将第 {step:,} 步的模型导出为代码：{script}（numpy）和 {snippet}（scikit-learn）。</translation>
    </message>
    <message>
        <source>No points to export: click some onto the plot or open data first.</source>
        <translation>没有可导出的点：请先在图上点击添加，或打开数据。</translation>
    </message>
    <message>
        <source>Export points</source>
        <translation>导出数据点</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Cannot export points</source>
        <translation>无法导出数据点</translation>
    </message>
    <message>
        <source>Exported {n:,} points to {file}.</source>
        <translation>已将 {n:,} 个点导出到 {file}。</translation>
    </message>
    <message>
        <source>Export plot image</source>
        <translation>导出图像</translation>
    </message>
    <message>
        <source>regstudio plot</source>
        <translation>regstudio 图</translation>
    </message>
    <message>
        <source>{file}: the image could not be drawn</source>
        <translation>{file}：无法绘制图像</translation>
    </message>
    <message>
        <source>Cannot export plot</source>
        <translation>无法导出图像</translation>
    </message>
    <message>
        <source>PNG image (*.png);;JPEG image (*.jpg *.jpeg);;SVG image (*.svg)</source>
        <translation>PNG 图像 (*.png);;JPEG 图像 (*.jpg *.jpeg);;SVG 图像 (*.svg)</translation>
    </message>
    <message>
        <source>{file}: cannot write .{extension} images; name it .png, .jpg or .svg</source>
        <translation>{file}：无法写入 .{extension} 图像；请用 .png、.jpg 或 .svg 作扩展名</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Cannot save session</source>
        <translation>无法保存会话</translation>
    </message>
    <message>
        <source>{file}: saved the points and settings without trained parameters: training had not caught up with the last change.</source>
        <translation>{file}：已保存数据点和设置，但未包含训练参数：训练尚未赶上最近一次修改。</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>regstudio session (*.regstudio);;All files (*)</source>
        <translation>regstudio 会话 (*.regstudio);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot open session</source>
        <translation>无法打开会话</translation>
    </message>
</context>
<context>
    <name>Files</name>
    <message>
        <source>{file}: cannot write: {reason}</source>
        <translation>{file}：无法写入：{reason}</translation>
    </message>
    <message>
        <source>it {problem}</source>
        <translation>它{problem}</translation>
    </message>
    <message>
        <source>the file belongs to another user (uid {owner})</source>
        <translation>该文件属于另一个用户（uid {owner}）</translation>
    </message>
    <message>
        <source>the file is read-only</source>
        <translation>该文件是只读的</translation>
    </message>
    <message>
        <source>{file}: cannot write ({reason})</source>
        <translation>{file}：无法写入（{reason}）</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>cannot read ({reason})</source>
        <translation>无法读取（{reason}）</translation>
    </message>
    <message>
        <source>is a directory</source>
        <translation>是一个文件夹</translation>
    </message>
    <message>
        <source>is not a regular file (it is a FIFO)</source>
        <translation>不是普通文件（而是 FIFO 管道）</translation>
    </message>
    <message>
        <source>is not a regular file (it is a socket)</source>
        <translation>不是普通文件（而是套接字）</translation>
    </message>
    <message>
        <source>is not a regular file (it is a device)</source>
        <translation>不是普通文件（而是设备）</translation>
    </message>
    <message>
        <source>is not a regular file (it is a special file)</source>
        <translation>不是普通文件（而是特殊文件）</translation>
    </message>
    <message>
        <source>{file}: {problem}</source>
        <translation>{file}：{problem}</translation>
    </message>
    <message>
        <source>{file}: cannot read ({reason})</source>
        <translation>{file}：无法读取（{reason}）</translation>
    </message>
    <message>
        <source>{file}: not a regstudio {what} file (not UTF-8 text)</source>
        <translation>{file}：不是 regstudio {what}文件（不是 UTF-8 文本）</translation>
    </message>
    <message>
        <source>{file}: not a regstudio {what} file (invalid JSON at line {line}, column {column})</source>
        <translation>{file}：不是 regstudio {what}文件（第 {line} 行第 {column} 列 JSON 无效）</translation>
    </message>
    <message>
        <source>{file}: not a regstudio {what} file (JSON nested too deeply)</source>
        <translation>{file}：不是 regstudio {what}文件（JSON 嵌套过深）</translation>
    </message>
    <message>
        <source>{file}: not a regstudio {what} file (no &quot;format&quot;: &quot;{format}&quot;)</source>
        <translation>{file}：不是 regstudio {what}文件（缺少 &quot;format&quot;: &quot;{format}&quot;）</translation>
    </message>
    <message>
        <source>{file}: {what} format version {found!r} is not supported (this regstudio reads version {version})</source>
        <translation>{file}：不支持{what}格式版本 {found!r}（此版本的 regstudio 读取第 {version} 版）</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>{file}: the session file is damaged: {reason}</source>
        <translation>{file}：会话文件已损坏：{reason}</translation>
    </message>
</context>
<context>
    <name>Generators</name>
    <message>
        <source>group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>species {letter}</source>
        <translation>物种 {letter}</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>Cubic curve: choose a polynomial degree, see overfitting</source>
        <translation>三次曲线：选择多项式次数，观察过拟合</translation>
    </message>
    <message>
        <source>Three species: one line for each group</source>
        <translation>三个物种：每组一条直线</translation>
    </message>
    <message>
        <source>XOR: two classes that no single line separates</source>
        <translation>XOR：任何一条直线都分不开的两类</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Open sample data</source>
        <translation>打开示例数据</translation>
    </message>
    <message>
        <source>About regstudio</source>
        <translation>关于 regstudio</translation>
    </message>
    <message>
        <source>About Qt</source>
        <translation>关于 Qt</translation>
    </message>
    <message>
        <source>Learn regression and classification by watching gradient descent train, live.</source>
        <translation>实时观看梯度下降的训练过程，学习回归与分类。</translation>
    </message>
    <message>
        <source>Free software under the MIT licence.</source>
        <translation>基于 MIT 许可证的自由软件。</translation>
    </message>
    <message>
        <source>The README that comes with regstudio explains the window, the lessons, the command line, the data files and the mathematics of every model. Help → Open sample data opens the data sets used there; &lt;tt&gt;regstudio samples&lt;/tt&gt; prints where they are.</source>
        <translation>regstudio 附带的 README 介绍了窗口、课程、命令行、数据文件以及每个模型背后的数学。“帮助 → 打开示例数据”可打开其中用到的数据集；&lt;tt&gt;regstudio samples&lt;/tt&gt; 会打印它们的位置。</translation>
    </message>
    <message>
        <source>Qt {qt}, PySide6 {pyside}, pyqtgraph {pyqtgraph}, numpy {numpy}, Python {python}</source>
        <translation>Qt {qt}，PySide6 {pyside}，pyqtgraph {pyqtgraph}，numpy {numpy}，Python {python}</translation>
    </message>
</context>
<context>
    <name>HiddenSpace</name>
    <message>
        <source>one hidden unit: the points are drawn at height ½</source>
        <translation>只有一个隐藏单元：数据点画在高度 ½ 处</translation>
    </message>
    <message>
        <source>choose two different hidden units from 1 to {count} (got {units})</source>
        <translation>请从 1 到 {count} 中选择两个不同的隐藏单元（当前为 {units}）</translation>
    </message>
    <message>
        <source>hidden units {first} and {second} of {count}; the boundary holds the other units at their training mean</source>
        <translation>{count} 个隐藏单元中的第 {first} 和第 {second} 个；边界将其余单元固定在其训练集均值</translation>
    </message>
    <message>
        <source>{x}′ = σ(hidden {unit})</source>
        <translation>{x}′ = σ(隐藏单元 {unit})</translation>
    </message>
    <message>
        <source>{x}′ = distance to ({point})</source>
        <translation>{x}′ = 到 ({point}) 的距离</translation>
    </message>
    <message>
        <source>the boundary is curved: the features are powers or group terms of the distances; drawn for group {group!r}</source>
        <translation>边界是弯曲的：特征是距离的幂或分组项；按分组 {group!r} 绘制</translation>
    </message>
    <message>
        <source>the boundary is curved: the features are powers or group terms of the distances</source>
        <translation>边界是弯曲的：特征是距离的幂或分组项</translation>
    </message>
</context>
<context>
    <name>HiddenSpacePlot</name>
    <message>
        <source>The hidden space appears for the cascade, or for distance features</source>
        <translation>隐藏空间在级联模型或距离特征下显示</translation>
    </message>
    <message>
        <source>Hidden space plot</source>
        <translation>隐藏空间图</translation>
    </message>
</context>
<context>
    <name>LandscapePlot</name>
    <message>
        <source>Loss landscape</source>
        <translation>损失曲面</translation>
    </message>
</context>
<context>
    <name>LandscapeView</name>
    <message>
        <source>Landscape x parameter</source>
        <translation>曲面横轴参数</translation>
    </message>
    <message>
        <source>Landscape y parameter</source>
        <translation>曲面纵轴参数</translation>
    </message>
    <message>
        <source>distance to the exact optimum ‖θ − θ*‖ = {distance}</source>
        <translation>到精确最优解的距离 ‖θ − θ*‖ = {distance}</translation>
    </message>
    <message>
        <source>J on an even sample of {used:,} of the {total:,} training rows (a large data set)</source>
        <translation>J 取自 {total:,} 个训练样本中均匀抽取的 {used:,} 个（数据集较大）</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
</context>
<context>
    <name>LessonActions</name>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
    <message>
        <source>Lesson: {title}</source>
        <translation>课程：{title}</translation>
    </message>
</context>
<context>
    <name>Lessons</name>
    <message>
        <source>Regression: the slope formula and gradient descent</source>
        <translation>回归：斜率公式与梯度下降</translation>
    </message>
    <message>
        <source>Gradient descent lowers the mean squared error step by step. The dashed line is the notes&apos; slope formula, m = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)² and c = ȳ − m·x̄, computed directly. Press Play: the fitted line settles onto it in about 70 steps, while on the landscape (the notes&apos; plane of w and b, features unscaled) the path runs down the bowl to the star, its lowest point. J is the mean squared error, the notes&apos; L(w, b) the sum: J = L / n, same lowest point.</source>
        <translation>梯度下降 (Gradient Descent) 一步一步地降低均方误差。虚线是讲义中的斜率公式 m = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²、c = ȳ − m·x̄ 直接算出的结果。按“播放”：拟合的直线大约 70 步后落到虚线上；同时在损失曲面上（讲义中的 w–b 平面，特征未缩放），路径沿着碗壁一路下降到最低点——星号处。J 是均方误差，讲义中的损失函数 (Loss Function) L(w, b) 是平方误差之和：J = L / n，最低点相同。</translation>
    </message>
    <message>
        <source>Learning rate: too small, just right, too large</source>
        <translation>学习率：太小、刚好、太大</translation>
    </message>
    <message>
        <source>Two runs are pinned on the loss plot: learning rate 0.005 is still far from the bottom after 70 steps, 0.1 gets there. The live run at 0.28 is too large: on the landscape each step jumps across the narrow valley in w and lands further out, so the path zig-zags, leaves the bowl, and the run stops as diverged within 20 steps.</source>
        <translation>损失图上固定了两次运行：学习率 0.005 在 70 步后离谷底还很远，0.1 则到达了谷底。当前运行的 0.28 太大：在损失曲面上，每一步都沿 w 方向跨过狭窄的山谷，落到更远的地方，于是路径来回震荡、冲出碗外，运行在 20 步之内因发散而停止。</translation>
    </message>
    <message>
        <source>Overfitting and choosing the degree</source>
        <translation>过拟合 (Overfitting) 与选择次数</translation>
    </message>
    <message>
        <source>Half of these 24 points are held out for testing (hollow). Degree 9 is solved exactly: the curve bends through the training points and misses the test points between them. The validation curves below fit degrees 1 to 10: training error keeps falling, test error is lowest near degree 3 and higher at 9. Click a row and Apply to use that degree.</source>
        <translation>这 24 个点中有一半留作测试（空心）。9 次多项式被精确求解：曲线弯弯曲曲地穿过每个训练点，却错过了它们之间的测试点。下方的验证曲线拟合了 1 到 10 次：训练误差一直下降，测试误差在 3 次附近最低、在 9 次时更高。点击一行再点“应用”即可使用该次数。</translation>
    </message>
    <message>
        <source>L2 regularisation: λ, smoothness, and the bias left out</source>
        <translation>L2 正则化：λ、平滑度，以及不参与正则化的偏置</translation>
    </message>
    <message>
        <source>Ridge regression adds λ‖w‖² to the error, leaving the bias b out: λ flattens the curve without pulling it towards zero. The sweep of λ from 10⁻⁶ to 100: training error rises with λ; test error is lowest near λ = 0.03 and high at both ends (wild wiggles between the training points at the tiniest λ, a flat curve at the largest). Apply the best λ and watch the curve smooth out.</source>
        <translation>岭回归在误差上加上 λ‖w‖²，偏置 b 不参与：λ 会把曲线压平，而不会把它拉向零。λ 从 10⁻⁶ 扫描到 100：训练误差随 λ 上升；测试误差在 λ ≈ 0.03 附近最低，两端都高（λ 极小时曲线在训练点之间剧烈摆动，λ 极大时曲线被压平）。应用最佳的 λ，看曲线变得平滑。</translation>
    </message>
    <message>
        <source>Hidden factors: one line per species</source>
        <translation>隐藏因素：每个物种一条直线</translation>
    </message>
    <message>
        <source>These points come from three species, each with its own line. One shared line fits them badly; with the species column as one-hot indicators (Data → Group column) each species gets its own intercept b + δ and its own slope, and the test error drops by more than ten times.</source>
        <translation>这些点来自三个物种，每个物种有自己的直线。一条共同的直线拟合得很差；把物种列作为独热指示变量（数据 → 分组列）后，每个物种都有自己的截距 b + δ 和自己的斜率，测试误差下降到原来的十分之一以下。</translation>
    </message>
    <message>
        <source>Logistic regression and cross-entropy</source>
        <translation>逻辑回归与交叉熵</translation>
    </message>
    <message>
        <source>Logistic regression passes a weighted sum through σ to get a probability, and gradient descent lowers the cross-entropy. The boundary is where p = ½; the colours show p everywhere. Within 100 steps every point is on its own side.</source>
        <translation>逻辑回归把加权和送进 σ 得到概率，梯度下降则降低交叉熵。边界位于 p = ½ 处；颜色显示各处的 p。100 步之内，每个点都落在属于自己的一侧。</translation>
    </message>
    <message>
        <source>Why not square error for logistic regression</source>
        <translation>为什么逻辑回归不用平方误差</translation>
    </message>
    <message>
        <source>The panel below descends both losses from the same start, where every point is confidently on the wrong side. Square error&apos;s surface is flat there (σ is saturated, so its gradient is hundreds of times smaller) and its path barely moves: accuracy stays at 0 %. Cross-entropy&apos;s gradient is largest exactly there, and it reaches 100 %. The main plot starts the same way: Play trains it with cross-entropy; Loss → Square error on σ(z) and Reset show it stall.</source>
        <translation>下方的面板从同一个起点对两种损失做梯度下降，起点处每个点都被很有把握地分错。平方误差的曲面在那里很平（σ 已饱和，梯度小几百倍），路径几乎不动：准确率停在 0 %。交叉熵 (Cross Entropy) 的梯度恰恰在那里最大，准确率达到 100 %。主图也从这样的起点开始：按“播放”用交叉熵训练；把 损失 → σ(z) 上的平方误差 再按“重置”，就能看到它停滞不前。</translation>
    </message>
    <message>
        <source>Several classes: softmax and one-hot targets</source>
        <translation>多个类别：Softmax 与独热目标</translation>
    </message>
    <message>
        <source>With three classes each target is a one-hot vector and softmax turns three weighted sums into three probabilities that add up to 1. The lines are the class boundaries, where two classes are equally likely; after 200 steps every training point is classified correctly.</source>
        <translation>有三个类别时，每个目标都是一个独热向量，Softmax 把三个加权和变成三个加起来等于 1 的概率。图中的线是类别边界，即两个类别可能性相等的地方；200 步之后每个训练点都被正确分类。</translation>
    </message>
    <message>
        <source>The limit of one line, and feature transformation</source>
        <translation>一条直线的局限，以及特征变换</translation>
    </message>
    <message>
        <source>1. No line puts the two XOR classes on opposite sides: logistic regression&apos;s cross-entropy stays near ln 2 ≈ 0.69, no better than guessing. 2. The pinned curve is the same model fed each point&apos;s distances to (1.5, 1.5) and (−1.5, −1.5) (Model → Features): in that plane, shown under Hidden space, one line separates the classes. Degree 2 works too: x1·x2 is the feature XOR needs.</source>
        <translation>1. 没有哪条直线能把 XOR 的两类分到两侧：逻辑回归的交叉熵停在 ln 2 ≈ 0.69 附近，不比瞎猜好。2. 固定的那条曲线是同一个模型，但输入换成了每个点到 (1.5, 1.5) 和 (−1.5, −1.5) 的距离（模型 → 特征）：在这个平面上（显示在“隐藏空间”中），一条直线就能把两类分开。2 次多项式也可以：x1·x2 正是 XOR 需要的特征。</translation>
    </message>
    <message>
        <source>2. Use distance features</source>
        <translation>2. 改用距离特征</translation>
    </message>
    <message>
        <source>Two logistic units are a neural network</source>
        <translation>两个逻辑单元就是一个神经网络</translation>
    </message>
    <message>
        <source>Two hidden logistic units each draw a line (their own colours); the output unit draws one line in their outputs (x₁′, x₂′), shown under Hidden space. Press Play (10 steps a second, so the change can be watched): around steps 20–45 the hidden units move the four clouds until one line separates them, and accuracy climbs to 100 %, where logistic regression alone stayed at chance. Speed up to watch the loss keep falling.</source>
        <translation>两个隐藏的逻辑单元各画一条直线（各自的颜色）；输出单元在它们的输出 (x₁′, x₂′) 上再画一条直线，显示在“隐藏空间”中。按“播放”（每秒 10 步，变化看得清）：大约在第 20–45 步，隐藏单元移动四团点，直到一条直线能把它们分开，准确率升到 100 %，而单独的逻辑回归只能停在随机猜测的水平。加快速度，可以看到损失继续下降。</translation>
    </message>
    <message>
        <source>Ordered classes: star ratings and ordinal regression</source>
        <translation>有序类别：星级评分与有序逻辑回归 (Ordinal Logistic Regression)</translation>
    </message>
    <message>
        <source>Star ratings 1–5 along x1 (x2 has nothing to do with them); half of the 100 points are held out for testing. Ordinal regression models P(rating ≤ k) = σ(θ_k − w·x): one weight vector and four ordered thresholds, K + d − 1 = 6 parameters, so its K − 1 = 4 boundaries are parallel lines. Softmax (pinned) treats the ratings as unordered classes with K·(d + 1) = 15 parameters. After 500 steps the ordinal model rates 54 % of the test points right and is 0.48 stars off on average; softmax 40 % and 0.64 stars.</source>
        <translation>星级评分 1–5 随 x1 变化（与 x2 无关）；100 个点中有一半留作测试。有序回归的模型是 P(评分 ≤ k) = σ(θ_k − w·x)：一个权重向量和四个有序的阈值，共 K + d − 1 = 6 个参数，所以它的 K − 1 = 4 条边界是平行线。Softmax（已固定）把评分当作无序的类别，有 K·(d + 1) = 15 个参数。500 步之后，有序模型对 54 % 的测试点评分正确，平均偏差 0.48 星；Softmax 为 40 % 和 0.64 星。</translation>
    </message>
</context>
<context>
    <name>LossPlot</name>
    <message>
        <source>Loss plot</source>
        <translation>损失图</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>step + 1 (log scale)</source>
        <translation>步数 + 1（对数刻度）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>train J</source>
        <translation>训练 J</translation>
    </message>
    <message>
        <source>test error (no λ)</source>
        <translation>测试误差（不含 λ）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Step back</source>
        <translation>后退一步</translation>
    </message>
    <message>
        <source>Show the run one step earlier (Shift+←)</source>
        <translation>显示运行的前一步（Shift+←）</translation>
    </message>
    <message>
        <source>Step forward</source>
        <translation>前进一步</translation>
    </message>
    <message>
        <source>Show the run one step later, up to the newest (Shift+→)</source>
        <translation>显示运行的后一步，直到最新一步（Shift+→）</translation>
    </message>
    <message>
        <source>Slope formula</source>
        <translation>斜率公式</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Open data…</source>
        <translation>打开数据…</translation>
    </message>
    <message>
        <source>Open session…</source>
        <translation>打开会话…</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Save session as…</source>
        <translation>会话另存为…</translation>
    </message>
    <message>
        <source>Export parameters…</source>
        <translation>导出参数…</translation>
    </message>
    <message>
        <source>Export plot image…</source>
        <translation>导出图像…</translation>
    </message>
    <message>
        <source>Export animation…</source>
        <translation>导出动画…</translation>
    </message>
    <message>
        <source>Export as code…</source>
        <translation>导出为代码…</translation>
    </message>
    <message>
        <source>Export points…</source>
        <translation>导出数据点…</translation>
    </message>
    <message>
        <source>Clear points</source>
        <translation>清除数据点</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Play/Pause</source>
        <translation>播放/暂停</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Pin this run&apos;s loss curve</source>
        <translation>固定本次运行的损失曲线</translation>
    </message>
    <message>
        <source>Clear pinned curves</source>
        <translation>清除固定的曲线</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Presentation mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <source>For a projector: larger text, lines and points, and the settings panel put away (F5)</source>
        <translation>用于投影：文字、线条和数据点更大，设置面板收起（F5）</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Nothing to pin yet: train a few steps first.</source>
        <translation>还没有可固定的曲线：请先训练几步。</translation>
    </message>
    <message>
        <source>What went wrong</source>
        <translation>出了什么问题</translation>
    </message>
    <message>
        <source>untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>{name}{modified} — regstudio</source>
        <translation>{name}{modified} — regstudio</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save this session before closing?</source>
        <translation>关闭前保存此会话吗？</translation>
    </message>
</context>
<context>
    <name>MapKey</name>
    <message>
        <source>P(class {name})</source>
        <translation>P(类别 {name})</translation>
    </message>
    <message>
        <source>class {name}</source>
        <translation>类别 {name}</translation>
    </message>
    <message>
        <source>certainty of the likeliest class</source>
        <translation>最可能类别的确定程度</translation>
    </message>
    <message>
        <source>tie</source>
        <translation>持平</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>错误详情</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <source>Linear regression</source>
        <translation>线性回归</translation>
    </message>
    <message>
        <source>Polynomial regression</source>
        <translation>多项式回归</translation>
    </message>
    <message>
        <source>Ridge regression</source>
        <translation>岭回归</translation>
    </message>
    <message>
        <source>Logistic regression</source>
        <translation>逻辑回归 (Logistic Regression)</translation>
    </message>
    <message>
        <source>Softmax regression</source>
        <translation>Softmax 回归</translation>
    </message>
    <message>
        <source>Cascade of logistic units</source>
        <translation>逻辑单元级联（神经网络）</translation>
    </message>
    <message>
        <source>Ordinal logistic regression</source>
        <translation>有序逻辑回归 (Ordinal Logistic Regression)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Degree</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Polynomial degree of the features</source>
        <translation>特征的多项式次数</translation>
    </message>
    <message>
        <source>L2 penalty λ</source>
        <translation>L2 惩罚 λ</translation>
    </message>
    <message>
        <source>L2 penalty λ on the weights (never the bias)</source>
        <translation>对权重的 L2 惩罚 λ（从不包括偏置）</translation>
    </message>
    <message>
        <source>Hidden units</source>
        <translation>隐藏单元</translation>
    </message>
    <message>
        <source>Hidden logistic units</source>
        <translation>隐藏的逻辑单元个数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Cross-entropy</source>
        <translation>交叉熵 (Cross Entropy)</translation>
    </message>
    <message>
        <source>Square error on σ(z)</source>
        <translation>σ(z) 上的平方误差</translation>
    </message>
    <message>
        <source>Group column</source>
        <translation>分组列</translation>
    </message>
    <message>
        <source>Give each group its own intercept and slope</source>
        <translation>让每个分组有自己的截距和斜率</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>Feed the model the inputs, or each point&apos;s distances to two reference points (the notes&apos; hand-made feature transformation)</source>
        <translation>把原始输入送进模型，或改用每个点到两个参考点的距离（讲义中手工设计的特征变换）</translation>
    </message>
    <message>
        <source>Inputs x1, x2</source>
        <translation>输入 x1、x2</translation>
    </message>
    <message>
        <source>Distances to 2 points</source>
        <translation>到 2 个点的距离</translation>
    </message>
    <message>
        <source>Standardise features</source>
        <translation>标准化特征</translation>
    </message>
    <message>
        <source>Train on features scaled to mean 0 and standard deviation 1 (faster, round bowls); off, the parameters are the notes&apos; b and w in the data&apos;s units</source>
        <translation>在缩放到均值 0、标准差 1 的特征上训练（更快，损失曲面呈圆碗形）；关闭时，参数就是讲义中以数据原始单位表示的 b 和 w</translation>
    </message>
    <message>
        <source>L2 λ</source>
        <translation>L2 正则化 (Regularization) λ</translation>
    </message>
    <message>
        <source>Hidden units (σ)</source>
        <translation>隐藏单元 (σ)</translation>
    </message>
    <message>
        <source>Group column (δ)</source>
        <translation>分组列 (δ)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
</context>
<context>
    <name>Models</name>
    <message>
        <source>choose Softmax regression under Model for more</source>
        <translation>如需更多类别，请在“模型”中选择“Softmax 回归”</translation>
    </message>
    <message>
        <source>logistic regression needs exactly 2 classes (found {count}); {advice}</source>
        <translation>逻辑回归恰好需要 2 个类别（找到 {count} 个）；{advice}</translation>
    </message>
</context>
<context>
    <name>OptimizerPanel</name>
    <message>
        <source>Gradient descent</source>
        <translation>梯度下降 (Gradient Descent)</translation>
    </message>
    <message>
        <source>Stochastic GD (mini-batch)</source>
        <translation>随机梯度下降（小批量）</translation>
    </message>
    <message>
        <source>Momentum</source>
        <translation>动量法</translation>
    </message>
    <message>
        <source>Adagrad</source>
        <translation>Adagrad</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>Solve exactly</source>
        <translation>精确求解</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Learning rate η (arrows step on a log scale)</source>
        <translation>学习率 η（箭头按对数刻度调整）</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <source>Mini-batch size (full = every training row)</source>
        <translation>小批量大小（全批量 = 所有训练行）</translation>
    </message>
    <message>
        <source>full</source>
        <translation>全批量</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Seed of initial weights, batches and data</source>
        <translation>初始权重、批次和数据的随机种子</translation>
    </message>
    <message>
        <source>Initial weights</source>
        <translation>初始权重</translation>
    </message>
    <message>
        <source>Default (zeros; cascade: Glorot)</source>
        <translation>默认（零；级联：Glorot）</translation>
    </message>
    <message>
        <source>Zeros</source>
        <translation>零</translation>
    </message>
    <message>
        <source>Random (seeded)</source>
        <translation>随机（按种子）</translation>
    </message>
    <message>
        <source>Learning rate η</source>
        <translation>学习率 (Learning Rate) η</translation>
    </message>
</context>
<context>
    <name>ParameterTableModel</name>
    <message>
        <source>parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Δθ
(this step)</source>
        <translation>Δθ
本步更新量</translation>
    </message>
    <message>
        <source>Hover a name for the whole of it</source>
        <translation>将鼠标悬停在名称上可查看全称</translation>
    </message>
    <message>
        <source>The parameter&apos;s value</source>
        <translation>参数的值</translation>
    </message>
    <message>
        <source>∂J/∂θ: the gradient at the parameters the last step started from</source>
        <translation>∂J/∂θ：上一步起点处参数的梯度</translation>
    </message>
    <message>
        <source>The change the last step applied: θ after − θ before (−η·∂J/∂θ for gradient descent)</source>
        <translation>上一步施加的变化：θ 之后 − θ 之前（梯度下降时为 −η·∂J/∂θ）</translation>
    </message>
</context>
<context>
    <name>Parameters</name>
    <message>
        <source>— in original units —</source>
        <translation>— 原始单位 —</translation>
    </message>
    <message>
        <source>— each group&apos;s own line (original units) —</source>
        <translation>— 每个分组自己的直线（原始单位）—</translation>
    </message>
    <message>
        <source>— trained, on standardised features —</source>
        <translation>— 训练所得（标准化特征上）—</translation>
    </message>
    <message>
        <source>— trained parameters —</source>
        <translation>— 训练所得参数 —</translation>
    </message>
    <message>
        <source>ln({upper} − {lower})</source>
        <translation>ln({upper} − {lower})</translation>
    </message>
    <message>
        <source>hidden {unit}: w {feature}</source>
        <translation>隐藏单元 {unit}：w {feature}</translation>
    </message>
    <message>
        <source>hidden {unit}: b</source>
        <translation>隐藏单元 {unit}：b</translation>
    </message>
    <message>
        <source>{tag}output: w from hidden {unit}</source>
        <translation>{tag}输出：来自隐藏单元 {unit} 的 w</translation>
    </message>
    <message>
        <source>{tag}output: b</source>
        <translation>{tag}输出：b</translation>
    </message>
    <message>
        <source>{tag}w {feature}</source>
        <translation>{tag}w {feature}</translation>
    </message>
    <message>
        <source>{tag}b (bias)</source>
        <translation>{tag}b（偏置）</translation>
    </message>
    <message>
        <source>{name}, not penalised</source>
        <translation>{name}（不参与正则化）</translation>
    </message>
    <message>
        <source>{tag}intercept</source>
        <translation>{tag}截距</translation>
    </message>
    <message>
        <source>one shared line</source>
        <translation>共用一条直线</translation>
    </message>
    <message>
        <source>one line per group</source>
        <translation>每组一条直线</translation>
    </message>
</context>
<context>
    <name>ParametersPanel</name>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Train and test MSE of one shared line against one line per group</source>
        <translation>共用一条直线与每组一条直线的训练和测试 MSE</translation>
    </message>
    <message>
        <source>train MSE</source>
        <translation>训练 MSE</translation>
    </message>
    <message>
        <source>test MSE</source>
        <translation>测试 MSE</translation>
    </message>
    <message>
        <source>No test points: set Data → Test fraction above 0</source>
        <translation>没有测试点：把 数据 → 测试比例 设为大于 0</translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <source>{file}: the saved parameters could not be restored (the file has {saved}, the model needs data to train on); training starts from the seed.</source>
        <translation>{file}：无法恢复保存的参数（文件中有 {saved} 个，而模型需要先有训练数据）；训练将从种子重新开始。</translation>
    </message>
    <message>
        <source>Click on the canvas to add points, or generate or open a data set.</source>
        <translation>在画布上点击添加数据点，或生成、打开一个数据集。</translation>
    </message>
    <message>
        <source>Add points of a second class: choose it under Data → Click adds.</source>
        <translation>请添加第二个类别的点：在“数据 → 点击添加”中选择它。</translation>
    </message>
    <message>
        <source>before going back to step {step:,}</source>
        <translation>回到第 {step:,} 步之前</translation>
    </message>
    <message>
        <source>data edited</source>
        <translation>数据已修改</translation>
    </message>
    <message>
        <source>η → {lr:g}</source>
        <translation>η → {lr:g}</translation>
    </message>
    <message>
        <source>λ → {l2:.4g}</source>
        <translation>λ → {l2:.4g}</translation>
    </message>
    <message>
        <source>{name} held at its training mean</source>
        <translation>{name} 固定在其训练集均值</translation>
    </message>
    <message>
        <source>{names} held at their training mean</source>
        <translation>{names} 固定在各自的训练集均值</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the names of inputs</comment>
        <translation>，</translation>
    </message>
    <message>
        <source>showing {shown:,} of {total:,} points</source>
        <translation>显示 {total:,} 个点中的 {shown:,} 个</translation>
    </message>
    <message numerus="yes">
        <source>%n test point(s) drawn hollow</source>
        <translation>
            <numerusform>%n 个测试点画成空心</numerusform>
        </translation>
    </message>
    <message>
        <source>{file}: the saved parameters could not be restored (the file has {saved}, the model needs {wanted}); training starts from the seed.</source>
        <translation>{file}：无法恢复保存的参数（文件中有 {saved} 个，模型需要 {wanted} 个）；训练将从种子重新开始。</translation>
    </message>
    <message>
        <source>{message}, then press Reset.</source>
        <translation>{message}，然后按“重置”。</translation>
    </message>
    <message>
        <source>{message}.</source>
        <comment>a finished run&apos;s message as a sentence</comment>
        <translation>{message}。</translation>
    </message>
    <message>
        <source>Generate {data}</source>
        <translation>生成{data}</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>RunController</name>
    <message>
        <source>{summary}; the run stopped at its last good step.</source>
        <translation>{summary}；训练停在最后一个正常的步骤。</translation>
    </message>
</context>
<context>
    <name>SquareErrorView</name>
    <message>
        <source>cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>square error on σ(z)</source>
        <translation>σ(z) 上的平方误差</translation>
    </message>
    <message>
        <source>Comparison data seed</source>
        <translation>对比用的数据种子</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Run the comparison</source>
        <translation>运行对比</translation>
    </message>
    <message>
        <source>Descend both losses from the same start on the same data</source>
        <translation>在同一数据上从同一起点对两种损失做梯度下降</translation>
    </message>
    <message>
        <source>data seed</source>
        <translation>数据种子</translation>
    </message>
    <message>
        <source>Colour: log10(J − J_min + ε) of this loss; dark is low, yellow high</source>
        <translation>颜色：这种损失的 log10(J − J_min + ε)；深色低，黄色高</translation>
    </message>
    <message>
        <source>Loss landscape, {loss}</source>
        <translation>损失曲面，{loss}</translation>
    </message>
    <message>
        <source>Gradient norm along each path</source>
        <translation>每条路径上的梯度范数</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Gradient norm ‖∇J‖ along each path</source>
        <translation>每条路径上的梯度范数 ‖∇J‖</translation>
    </message>
    <message>
        <source>&lt;b&gt;{loss}&lt;/b&gt;: accuracy {accuracy:.0%}</source>
        <translation>&lt;b&gt;{loss}&lt;/b&gt;：准确率 {accuracy:.0%}</translation>
    </message>
    <message>
        <source>{loss}: accuracy {accuracy:.0%} after {steps} steps</source>
        <translation>{loss}：{steps} 步后准确率 {accuracy:.0%}</translation>
    </message>
    <message>
        <source>‖∇J‖ at the start: cross-entropy {ce}, square error {mse}</source>
        <translation>起点的 ‖∇J‖：交叉熵 {ce}，平方误差 {mse}</translation>
    </message>
    <message>
        <source>Both start at w = {w}, b = {b} (every point on the wrong side) with learning rate {lr}. Starting gradient: cross-entropy {ce}, square error {mse}.</source>
        <translation>两者都从 w = {w}、b = {b} 出发（每个点都在错误的一侧），学习率为 {lr}。起点梯度：交叉熵 {ce}，平方误差 {mse}。</translation>
    </message>
</context>
<context>
    <name>StatusLine</name>
    <message>
        <source>step {step:,}</source>
        <translation>第 {step:,} 步</translation>
    </message>
    <message>
        <source>epoch {epoch:,.2f}</source>
        <translation>第 {epoch:,.2f} 轮</translation>
    </message>
    <message>
        <source>η = {lr:g}</source>
        <translation>学习率 η = {lr:g}</translation>
    </message>
    <message>
        <source>λ = {l2:.4g}</source>
        <translation>正则化 λ = {l2:.4g}</translation>
    </message>
    <message>
        <source>train loss {loss}</source>
        <translation>训练损失 {loss}</translation>
    </message>
    <message>
        <source>test MSE {error}</source>
        <translation>测试 MSE {error}</translation>
    </message>
    <message>
        <source>test cross-entropy {error}</source>
        <translation>测试交叉熵 {error}</translation>
    </message>
    <message>
        <source>R² {train} (test {test})</source>
        <translation>R² {train}（测试 {test}）</translation>
    </message>
    <message>
        <source>R² {train}</source>
        <translation>R² {train}</translation>
    </message>
    <message>
        <source>accuracy {train:.4f} (test {test:.4f})</source>
        <translation>准确率 {train:.4f}（测试 {test:.4f}）</translation>
    </message>
    <message>
        <source>accuracy {train:.4f}</source>
        <translation>准确率 {train:.4f}</translation>
    </message>
    <message>
        <source>{speed:,.0f} steps/s</source>
        <translation>{speed:,.0f} 步/秒</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Timeline</source>
        <translation>时间轴</translation>
    </message>
    <message>
        <source>Drag to see the run as it was at an earlier step; Play or Step goes on from there (Shift+← / Shift+→ move one step)</source>
        <translation>拖动以查看运行在较早某一步时的样子；播放或单步会从那里继续（Shift+← / Shift+→ 移动一步）</translation>
    </message>
    <message>
        <source>step {step:,}</source>
        <translation>第 {step:,} 步</translation>
    </message>
    <message>
        <source>step {step:,} of {newest:,}, rewound</source>
        <translation>第 {step:,}/{newest:,} 步，已回退</translation>
    </message>
    <message>
        <source>step {kept:,} of {newest:,}, the nearest kept to {step:,}</source>
        <translation>第 {kept:,}/{newest:,} 步（最接近 {step:,} 的保留步）</translation>
    </message>
    <message>
        <source>{line}: Play or Step goes on from here, and the steps after it are pinned on the loss plot</source>
        <translation>{line}：播放或单步会从这里继续，之后的步骤会固定在损失曲线图上</translation>
    </message>
</context>
<context>
    <name>Training</name>
    <message>
        <source>the data set has no rows</source>
        <translation>数据集没有任何行</translation>
    </message>
    <message>
        <source>column {name!r} has only one class ({label!r}); a classifier needs at least two</source>
        <translation>列 {name!r} 只有一个类别（{label!r}）；分类器至少需要两个</translation>
    </message>
    <message>
        <source>no training rows: every row is in the test split</source>
        <translation>没有训练行：所有行都被划入了测试集</translation>
    </message>
    <message>
        <source>“Solve exactly” solves the cross-entropy objective; choose Gradient descent under Optimizer to train on square error</source>
        <translation>“精确求解”求解的是交叉熵目标；要在平方误差上训练，请在“优化器”中选择“梯度下降”</translation>
    </message>
    <message>
        <source>“Distances to 2 points” under Features</source>
        <translation>“特征”中的“到 2 个点的距离”</translation>
    </message>
    <message>
        <source>{features} needs exactly two input columns (the data has {count}: {names})</source>
        <translation>{features}需要恰好两个输入列（数据有 {count} 个：{names}）</translation>
    </message>
    <message>
        <source>{where}column {name!r}: the targets are too large to square in {dtype} (largest |y| is {largest:.3g}; for {rows} rows it must stay below {limit:.3g}); rescale the target column</source>
        <translation>{where}列 {name!r}：目标值太大，在 {dtype} 中无法求平方（最大 |y| 为 {largest:.3g}；{rows} 行时必须小于 {limit:.3g}）；请缩放目标列</translation>
    </message>
    <message>
        <source>{where}feature {name!r} overflows {dtype}: its values or their spread exceed {limit:.3g}; rescale the input columns it is made of</source>
        <translation>{where}特征 {name!r} 超出 {dtype} 的范围：其值或其离散程度超过 {limit:.3g}；请缩放构成它的输入列</translation>
    </message>
    <message>
        <source>{where}feature {name!r} overflows {dtype}: its values exceed {limit:.3g}; rescale the input columns it is made of</source>
        <translation>{where}特征 {name!r} 超出 {dtype} 的范围：其值超过 {limit:.3g}；请缩放构成它的输入列</translation>
    </message>
    <message>
        <source>converged at step {step}: every gradient component ≤ {tol:g}</source>
        <translation>在第 {step} 步收敛：梯度的每个分量都 ≤ {tol:g}</translation>
    </message>
    <message>
        <source>converged after epoch {epoch:.0f}: the mean batch loss changed by ≤ {tol:g} (relative)</source>
        <translation>在第 {epoch:.0f} 轮后收敛：平均批损失的相对变化 ≤ {tol:g}</translation>
    </message>
    <message>
        <source>diverged at step {step}: the loss grew to {ratio:.3g}× its first value ({first:.3g} → {loss:.3g}); lower the learning rate (now {lr:g})</source>
        <translation>在第 {step} 步发散：损失增长到初始值的 {ratio:.3g} 倍（{first:.3g} → {loss:.3g}）；请降低学习率（当前为 {lr:g}）</translation>
    </message>
    <message>
        <source>diverged at step {step}: the mean batch loss of an epoch grew to {ratio:.3g}× its first epoch&apos;s ({first:.3g} → {loss:.3g}); lower the learning rate (now {lr:g})</source>
        <translation>在第 {step} 步发散：一轮的平均批损失增长到第一轮的 {ratio:.3g} 倍（{first:.3g} → {loss:.3g}）；请降低学习率（当前为 {lr:g}）</translation>
    </message>
    <message>
        <source>diverged at step {step}: the loss became not a number; lower the learning rate (now {lr:g})</source>
        <translation>在第 {step} 步发散：损失变成了非数值（NaN）；请降低学习率（当前为 {lr:g}）</translation>
    </message>
    <message>
        <source>diverged at step {step}: the loss became infinite; lower the learning rate (now {lr:g})</source>
        <translation>在第 {step} 步发散：损失变成了无穷大；请降低学习率（当前为 {lr:g}）</translation>
    </message>
    <message>
        <source>add L2 regularisation (L2 λ under Model)</source>
        <translation>请加入 L2 正则化（“模型”中的 L2 λ）</translation>
    </message>
    <message>
        <source>the exact solver failed at step {step} (the problem is ill-conditioned); {advice}</source>
        <translation>精确求解在第 {step} 步失败（问题是病态的）；{advice}</translation>
    </message>
    <message>
        <source>solved exactly in %n step(s)</source>
        <translation>经 %n 步精确求解</translation>
    </message>
    <message>
        <source>training stopped: {kind}: {reason}</source>
        <translation>训练停止：{kind}：{reason}</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>full speed</source>
        <translation>全速</translation>
    </message>
    <message>
        <source>{speed:,.0f} steps/s</source>
        <translation>{speed:,.0f} 步/秒</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>One parameter update (S)</source>
        <translation>更新一次参数 (S)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Animate gradient descent (Space)</source>
        <translation>动画演示梯度下降（空格键）</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Start again from the seed (R)</source>
        <translation>从种子重新开始 (R)</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Steps per second</source>
        <translation>每秒步数</translation>
    </message>
    <message>
        <source>Log loss</source>
        <translation>对数损失轴</translation>
    </message>
    <message>
        <source>Logarithmic loss axis</source>
        <translation>损失轴使用对数刻度</translation>
    </message>
    <message>
        <source>Log steps</source>
        <translation>对数步数轴</translation>
    </message>
    <message>
        <source>Logarithmic step axis</source>
        <translation>步数轴使用对数刻度</translation>
    </message>
    <message>
        <source>Loss plot</source>
        <translation>损失图</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
</context>
<context>
    <name>UndoActions</name>
    <message>
        <source>Undo {step}</source>
        <translation>撤销 {step}</translation>
    </message>
    <message>
        <source>Redo {step}</source>
        <translation>重做 {step}</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
</context>
<context>
    <name>ValidationView</name>
    <message>
        <source>polynomial degree</source>
        <translation>多项式次数</translation>
    </message>
    <message>
        <source>λ (L2 penalty)</source>
        <translation>λ（L2 惩罚）</translation>
    </message>
    <message>
        <source>degree</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>value</source>
        <translation>取值</translation>
    </message>
    <message>
        <source>train error</source>
        <translation>训练误差</translation>
    </message>
    <message>
        <source>test error</source>
        <translation>测试误差</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>Parameter to sweep</source>
        <translation>要扫描的参数</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Run the sweep</source>
        <translation>运行扫描</translation>
    </message>
    <message>
        <source>Fit one model per value on the same train/test split</source>
        <translation>在同一训练/测试划分上，为每个取值拟合一个模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel the sweep</source>
        <translation>取消扫描</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Apply the chosen value</source>
        <translation>应用所选取值</translation>
    </message>
    <message>
        <source>Train with the selected row&apos;s value, or the best one</source>
        <translation>用所选行的取值训练，未选时用最佳取值</translation>
    </message>
    <message>
        <source>Sweep progress</source>
        <translation>扫描进度</translation>
    </message>
    <message>
        <source>sweep</source>
        <translation>扫描</translation>
    </message>
    <message>
        <source>Train and test error against the swept value</source>
        <translation>训练误差和测试误差随扫描取值的变化</translation>
    </message>
    <message>
        <source>error (no λ term)</source>
        <translation>误差（不含 λ 项）</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>lowest test error</source>
        <translation>最低测试误差</translation>
    </message>
    <message>
        <source>Errors per value</source>
        <translation>各取值的误差</translation>
    </message>
    <message>
        <source>The data or the model changed since the sweep: run it again.</source>
        <translation>扫描之后数据或模型已改变：请重新运行。</translation>
    </message>
    <message>
        <source>Fitting {n} models…</source>
        <translation>正在拟合 {n} 个模型…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Run to fit one model per value.</source>
        <translation>点击“运行”为每个取值拟合一个模型。</translation>
    </message>
    <message>
        <source>No data to sweep.</source>
        <translation>没有可扫描的数据。</translation>
    </message>
    <message>
        <source>λ</source>
        <translation>λ</translation>
    </message>
    <message>
        <source>No test points: Data → Test fraction is 0</source>
        <translation>没有测试点：“数据 → 测试比例”为 0</translation>
    </message>
    <message>
        <source>The sweep failed: {message}</source>
        <translation>扫描失败：{message}</translation>
    </message>
    <message>
        <source>Cancelled after {done} of {total} values</source>
        <translation>已取消，完成 {total} 个取值中的 {done} 个</translation>
    </message>
    <message>
        <source>Fitted {done} of {total} values; no test error to choose by: there are no test points (set Data → Test fraction above 0)</source>
        <translation>已拟合 {done}/{total} 个取值；没有测试点，无法按测试误差选择（把“数据 → 测试比例”设为大于 0）</translation>
    </message>
    <message>
        <source>Fitted {done} of {total} values</source>
        <translation>已拟合 {total} 个取值中的 {done} 个</translation>
    </message>
    <message>
        <source>Cancelled after {done} of {total} values; lowest test error {error} at {name} = {value}</source>
        <translation>已取消，完成 {total} 个取值中的 {done} 个；最低测试误差 {error}，在 {name} = {value} 处</translation>
    </message>
    <message>
        <source>Fitted {done} of {total} values; lowest test error {error} at {name} = {value}</source>
        <translation>已拟合 {total} 个取值中的 {done} 个；最低测试误差 {error}，在 {name} = {value} 处</translation>
    </message>
</context>
<context>
    <name>ViewDocks</name>
    <message>
        <source>Loss landscape</source>
        <translation>损失曲面</translation>
    </message>
    <message>
        <source>Hidden space</source>
        <translation>隐藏空间</translation>
    </message>
    <message>
        <source>Validation curves</source>
        <translation>验证曲线</translation>
    </message>
    <message>
        <source>Square error vs cross-entropy</source>
        <translation>平方误差与交叉熵</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <source>slope formula: x̄ = {x_mean:.4g}, ȳ = {y_mean:.4g}, m = {m:.4g}, c = {c:.4g}</source>
        <translation>斜率公式：x̄ = {x_mean:.4g}，ȳ = {y_mean:.4g}，m = {m:.4g}，c = {c:.4g}</translation>
    </message>
    <message>
        <source>separable classes: no finite optimum, so no exact boundary is drawn; ‖w‖ keeps growing (now ‖w‖ = {norm:.4g})</source>
        <translation>类别线性可分：不存在有限的最优解，因此不画精确边界；‖w‖ 会一直增大（当前 ‖w‖ = {norm:.4g}）</translation>
    </message>
    <message>
        <source>slope formula y = m·x + c</source>
        <translation>斜率公式 y = m·x + c</translation>
    </message>
    <message>
        <source>exact optimum</source>
        <translation>精确最优解</translation>
    </message>
</context>
<context>
    <name>view</name>
    <message>
        <source>Apply {parameter}</source>
        <translation>应用{parameter}</translation>
    </message>
    <message>
        <source>The run so far is pinned on the loss plot (dashed); the chosen {parameter} trains from the start, so the two curves compare.</source>
        <translation>到目前为止的运行已固定在损失图上（虚线）；选定的{parameter}从头开始训练，两条曲线可以对比。</translation>
    </message>
</context>
</TS>
