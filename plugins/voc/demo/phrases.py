"""Chinese text templates for the demo, keyed by the taxonomy leaf a sentence expresses.

Template mini-language: `[a|b|c]` picks one alternative, `{slot}` fills from SLOTS (or from the
caller's context, e.g. {name}). A customer sentence for code X is written so that a careful human
labeller would tag it X (plus the companions the gold conventions require) and nothing stronger.
"""
from __future__ import annotations

import random
import re

BANK = "锦程银行"  # fictional; the demo never names a real bank as the speaker's own

SLOTS: dict[str, tuple[str, ...]] = {
    "amount": ("十来万", "二十来万", "三十万", "五十万左右", "八万块", "一百来万", "两百万", "15万",
               "40万", "六七十万", "小十万", "二十几万", "80万", "一百五十万"),
    "rate": ("3个点", "2.5%", "百分之三", "三点五", "4%左右", "2.8%", "2.6%以上", "三个点出头", "3.1%"),
    "bank": ("招行", "工行", "建行", "中行", "农行", "交行", "平安银行", "兴业银行", "浦发", "邮储",
             "中信银行", "民生银行"),
    "third": ("支付宝", "蚂蚁财富", "天天基金", "微信理财通", "京东金融"),
    "fund_co": ("易方达", "华夏基金", "南方基金", "广发基金", "嘉实基金", "富国基金"),
    "broker": ("华泰证券", "中信证券", "东方财富", "招商证券", "国泰君安", "银河证券"),
    "trust": ("中信信托", "平安信托", "外贸信托", "华润信托", "建信信托"),
    "insurer": ("平安保险", "中国人寿", "太平洋保险", "泰康", "新华保险", "友邦"),
    "relative": ("我老公", "我爱人", "我儿子", "我女儿", "我妈", "我爸", "我老婆", "我哥"),
    "purpose": ("付首付", "装修房子", "提前还房贷", "孩子明年出国读书", "给孩子交学费", "下个月办婚礼",
                "给老人看病", "换车"),
    "incoming": ("年终奖", "卖房的钱", "拆迁款", "公司分红", "项目尾款", "一笔定期"),
    "when": ("下个月", "月底", "下周", "过两天", "年底", "下个月中旬", "十来天后"),
    "fund_name": ("白酒基金", "医疗基金", "新能源基金", "科技基金", "半导体基金", "消费基金"),
    "index": ("沪深300", "中证500", "创业板", "纳斯达克100", "红利", "科创50"),
    "loss_pct": ("百分之二十", "三成", "快一半", "十几个点", "二十多个点", "七八个点"),
    "app_issue": ("闪退", "卡在加载页面", "一直转圈", "收不到验证码", "人脸识别过不去", "白屏",
                  "登录不上去", "点了没反应"),
    "version": ("新版本", "更新以后", "最近升级完", "这两天", "改版以后"),
    "t1m": ("一个月", "七天", "半个月", "两周", "二十天"),
    "t3m": ("三个月", "两个月", "91天", "六十天", "三个月左右"),
    "t6m": ("半年", "五个月", "180天", "四五个月", "四个月"),
    "t12m": ("一年", "九个月", "十个月", "一年期", "270天"),
    "t_long": ("三五年", "两年以上", "三年", "五年", "好几年"),
    "district": ("浦东", "天河", "南山", "朝阳", "西湖", "武侯", "江汉", "鼓楼", "高新区", "开发区"),
    "condition": ("甲状腺结节", "乳腺结节", "血压偏高", "肺部小结节", "脂肪肝", "血糖偏高"),
    "product": ("大额存单", "结构性存款", "固收+理财", "现金管理类理财", "债券基金", "混合基金",
                "指数基金", "积存金", "增额终身寿", "年金险"),
    "wm_name": ("锦程稳盈", "锦程月月享", "锦程季季红", "锦程安心180天", "锦程天天利", "锦程添利"),
    "hours": ("两个小时", "一个多小时", "四十分钟", "快一个小时", "大半天"),
    "times": ("三次", "好几次", "五六次", "两次", "无数次"),
}

PREFIXES = ("嗯，", "那个，", "说实话，", "哎，", "是这样，", "我跟你说，", "呃，", "对了，", "你听我说，", "")
FILLERS = ("嗯嗯", "好的", "哦这样啊", "你说吧", "行，我考虑考虑", "喂？听得到吗", "好的谢谢", "嗯，然后呢",
           "明白了", "稍等一下啊", "哦哦", "你说的我大概懂了", "那你发我看看吧", "可以，你说")

# Customer sentences, one tuple per leaf code. Questions appear only under feedback.question.*.
CUSTOMER: dict[str, tuple[str, ...]] = {
    "profile.fund_manager.self": (
        "钱都是我自己管，[买什么|怎么投]我自己说了算", "这张卡是我本人在用，[不用|没必要]问别人",
        "家里理财一直是我在弄", "我自己做主就行，[你直接跟我说|不用等家里人]"),
    "profile.fund_manager.other": (
        "这钱是{relative}管的，我做不了主", "我是帮{relative}接的电话，卡不是我的",
        "家里的钱都是{relative}在打理，你[跟他们|直接找他们]说吧", "我就帮{relative}问问，我不是本人"),
    "profile.experience.novice": (
        "我不懂这些，[这是第一次买理财|以前从来没买过]", "我从来没买过基金，你说的我听不太懂",
        "我就是个小白，[啥也不懂|完全不懂]", "说实话我对理财一窍不通，之前钱都放活期",
        "我第一次买这种东西，心里没底"),
    "profile.experience.intermediate": (
        "我之前买过几年理财，也做过基金定投", "债基混合基金我都买过，大概知道怎么回事",
        "理财我做了[五六年|好几年]了，存单、理财、基金都碰过", "我前几年买过[黄金|债基|指数基金]，后来又换成了理财"),
    "profile.experience.professional": (
        "我主要看夏普比率和最大回撤，你把这只的数据发我", "我自己是做证券的，这只的久期大概多少",
        "我炒股十几年了，现在仓位控制在三成左右", "回撤超过15%的我不考虑，波动率你们有统计吗",
        "我在基金公司干过，这种产品的持仓结构我看得懂"),
    "profile.platform.this_bank_only": (
        "我就只在你们行办过卡，别的银行都没有", "我的钱全都放在你们这，没在别家买过",
        "这么多年我就认你们一家银行"),
    "profile.platform.other_bank": (
        "我在{bank}也有一部分钱", "{bank}那边我还有个理财", "我工资卡是{bank}的，钱大头在那边"),
    "profile.platform.fund_company": (
        "我在{fund_co}官网直接买过基金", "{fund_co}的APP上我也有定投", "我有些钱直接放在{fund_co}那边"),
    "profile.platform.securities": (
        "我在{broker}开了户，平时炒点股", "{broker}那边还有点钱在做国债逆回购", "我股票账户在{broker}"),
    "profile.platform.trust": (
        "我之前买过{trust}的信托，一百万起的那种", "{trust}有个信托计划明年到期", "家里有一部分钱放在{trust}"),
    "profile.platform.insurance": (
        "我在{insurer}买了好几份保险了", "{insurer}的代理人给我配过年金险", "保险我都是在{insurer}买的"),
    "profile.platform.third_party": (
        "我平时零钱都放{third}", "基金我都是在{third}上买的", "{third}上我也买了[一点|几只基金]"),
    "profile.funds.idle": (
        "我卡里有{amount}一直放活期没动", "手上有{amount}闲着，不知道放哪好", "最近有{amount}闲钱",
        "活期里趴着{amount}，一直没顾上弄"),
    "profile.funds.incoming": (
        "{when}有一笔{incoming}要到账，大概{amount}", "等{incoming}下来了再说，{when}就到",
        "我在你们行的定期{when}到期，有{amount}", "{when}{incoming}能到手{amount}"),
    "profile.investment.loss_elsewhere": (
        "我在{bank}买的基金亏了{loss_pct}", "去年在{bank}买了个理财，亏了不少，现在还套着",
        "{bank}的客户经理推荐的{fund_name}，到现在亏了{loss_pct}"),
    "profile.investment.maturing_elsewhere": (
        "{bank}的理财{when}到期，到时候想换个地方放", "我在{bank}有笔大额存单{when}到期",
        "{bank}那边的定期{when}就到期了"),
    "profile.contact_time.anytime": ("随时打都行", "我退休在家，什么时候打都方便", "我一般都有空，随时联系"),
    "profile.contact_time.early": ("你早上七八点打给我吧", "早上出门前比较方便，七点多", "一大早就行，我起得早"),
    "profile.contact_time.morning": ("上午十点前后打给我", "我一般上午有空", "你上午联系我吧"),
    "profile.contact_time.noon": ("中午吃饭的时候打过来吧", "十二点到一点之间我方便", "午休时间可以聊"),
    "profile.contact_time.afternoon": ("下午三点以后我有空", "你下午再打吧", "一般下午比较方便"),
    "profile.contact_time.evening": ("晚上七点以后打给我", "白天上班不方便接，晚上吧", "晚上八点以后我在家"),
    "profile.contact_time.weekend": ("周末再联系我吧", "工作日太忙了，周六周日可以", "平时没空，周末打给我"),
    "preference.product.deposit": ("我还是喜欢存定期", "大额存单我比较放心", "结构性存款我可以考虑", "我就存定期，别的不碰"),
    "preference.product.wealth": ("我一般都买银行理财", "你们行的理财我一直在买", "我比较喜欢买理财，比存款强点"),
    "preference.product.fund": ("我想买点基金", "我对基金比较感兴趣", "基金我可以放一部分"),
    "preference.product.fund_money": ("我就买货币基金，随存随取", "零钱我喜欢放货币基金"),
    "preference.product.fund_bond": ("我比较喜欢债基，波动小", "债券基金我能接受"),
    "preference.product.fund_hybrid": ("混合型基金我可以试试", "我偏好股债混合的那种基金"),
    "preference.product.fund_equity": ("我想买股票型基金，搏一搏", "股票基金我能接受"),
    "preference.product.fund_index": ("我只买指数基金，{index}那种", "{index}指数基金我一直在定投"),
    "preference.product.insurance": ("我想给自己配点保险", "我对保险比较感兴趣，想给孩子买一份"),
    "preference.product.gold": ("我想买点黄金", "积存金我挺喜欢的，每个月买一点", "金价涨了这么多，我想配点黄金"),
    "preference.term.le_1m": ("钱最多放{t1m}", "我要{t1m}以内的", "期限别超过{t1m}"),
    "preference.term.le_3m": ("三个月以内的可以", "我要{t3m}的", "最好{t3m}就到期"),
    "preference.term.m3_6": ("半年期的我可以接受", "{t6m}的就行", "放个{t6m}没问题"),
    "preference.term.m6_12": ("放一年没问题", "九个月的可以", "一年期的我能接受"),
    "preference.term.gt_1y": ("钱放{t_long}都没问题", "这笔钱长期不用，两年以上的也行", "放个{t_long}的我能接受"),
    "preference.return.high": ("我就想要收益高的", "收益低的我不考虑", "收益要高一点，太低的没意思"),
    "preference.return.specific": ("年化能有{rate}就行", "我要求不高，{rate}就满足了", "至少得{rate}吧"),
    "preference.risk.guaranteed": ("我只买保本的", "必须保本，亏一分都不行", "本金不能亏，这是我的底线"),
    "preference.risk.stable": ("我比较求稳", "稳健一点的就好，不求多高", "我风险承受能力低，要稳的"),
    "preference.risk.medium": ("有点波动可以接受，中等风险吧", "R3的我能接受", "亏个五六个点我还扛得住"),
    "preference.risk.high": ("高风险的我也敢买", "R5的都可以，我不怕波动", "我能承受大的波动，高风险高收益嘛"),
    "preference.promo.likes": ("你们送的米和油我挺喜欢的", "我就爱参加你们的活动，上次还领了个电饭煲", "有活动记得叫上我"),
    "preference.promo.indifferent": ("礼品啥的我无所谓", "活动我不感兴趣，别给我推了", "送东西没用，收益实在点就行"),
    "preference.channel.branch": ("我还是习惯去网点柜台办", "我年纪大了，还是去柜台放心", "这种我都去营业厅办"),
    "preference.channel.online_banking": ("我一般用电脑上网银操作", "我习惯用网银，插上U盾就行"),
    "preference.channel.mobile_app": ("我都是在手机银行上买", "用你们APP操作就行，不用跑网点"),
    "preference.contact_method.phone": ("有事直接打我电话", "你打电话说吧，消息我不怎么看"),
    "preference.contact_method.im": ("在线客服说就行，我不方便接电话", "APP里在线客服挺方便，以后线上找我"),
    "preference.contact_method.wecom": ("加个企业微信吧，有事企微上说", "你用企业微信发我就行"),
    "preference.contact_method.wechat": ("加我微信吧，微信说方便", "发我个人微信就好"),
    "preference.contact_method.sms": ("发短信给我就行", "有什么给我发短信，别打电话"),
    "objection.refusal.not_needed": ("暂时不需要", "这个我不需要", "不用了不用了", "不需要了，你不用介绍了"),
    "objection.refusal.no_money": ("最近手头紧，没闲钱", "钱都套住了，现在没钱买", "工资刚够还房贷，哪有余钱"),
    "objection.refusal.funds_earmarked": ("这钱要{purpose}，不能动", "钱是留着{purpose}的", "这笔钱有用处，准备{purpose}"),
    "objection.refusal.no_time": ("我在开会，没时间", "正忙着呢，回头再说", "开车呢，不方便说"),
    "objection.refusal.self_research": ("我自己先研究研究", "我自己在APP上看看再说", "不用推荐，我自己会看"),
    "objection.refusal.has_advisor": ("我有固定的理财经理了", "你们行的刘经理一直在对接我，有事我找她",
                                      "我有专门的客户经理，不麻烦你了"),
    "objection.risk.doubts_identity": ("你真是银行的吗？怎么证明", "现在骗子这么多，我怎么知道你不是骗子",
                                       "你报个工号，我打客服电话核实一下"),
    "objection.risk.privacy_leak": ("你们怎么会有我的电话？", "我的信息是不是被泄露了", "谁把我的号码给你们的"),
    "objection.risk.dislikes_calls": ("别再打了，天天打烦不烦", "一天打好几个电话，有完没完", "能不能别老给我打推销电话"),
    "feedback.positive.product_rich": ("你们产品挺多的，选择面广", "理财货架挺全的，什么期限都有"),
    "feedback.positive.product_return_high": ("你们这款理财收益还不错", "上次买的那个收益挺高，比预期还好"),
    "feedback.positive.service_professional": ("你讲得很专业，我听明白了", "这个经理很专业，分析得头头是道"),
    "feedback.positive.service_attitude_good": ("你态度真好，特别耐心", "客服小姑娘很有耐心，一点不烦"),
    "feedback.positive.event_rich": ("你们活动挺多的，力度也大", "上次的满减活动力度不小"),
    "feedback.positive.system_easy": ("手机银行用着挺顺手", "APP操作挺方便的，几步就买好了"),
    "feedback.positive.brand_good": ("你们是大银行，我信得过", BANK + "口碑挺好的，朋友都推荐"),
    "feedback.positive.branch_good": ("你们网点多，家门口就有一个", "今天去网点没怎么排队，挺快的"),
    "feedback.positive.praise": ("要表扬一下今天的客服", "给你们小王点个赞", "必须给这位经理好评"),
    "feedback.negative.product_limited": ("你们产品太少了，翻来覆去就那几个", "就这几个理财，没什么可选的"),
    "feedback.negative.product_return_low": ("收益也太低了，还不如放余额宝", "这个收益率比存款高不了多少",
                                              "现在理财收益越来越低", "收益真是“感人”，一年还没活期多"),
    "feedback.negative.service_unprofessional": ("问三个问题两个答不上来，太不专业了", "客服连产品期限都说不清楚",
                                                 "转了{times}人工，没一个说得明白"),
    "feedback.negative.service_attitude_bad": ("你们那个柜员态度太差了", "客服说话很冲，爱答不理的"),
    "feedback.negative.event_poor": ("活动越来越少了，礼品也寒碜", "说是有活动，结果就送几个积分"),
    "feedback.negative.system_bad": ("APP又{app_issue}了", "手机银行{version}老是{app_issue}", "转账的时候{app_issue}，急死人",
                                     "你们APP可真“好用”，{version}天天{app_issue}", "买理财的页面{app_issue}，试了{times}"),
    "feedback.negative.brand_bad": ("你们银行名气太小了，没怎么听说过", "网上对你们评价不太好"),
    "feedback.negative.branch_bad": ("网点太少，最近的都要开车半小时", "去网点排了{hours}的队"),
    "feedback.negative.fee_high": ("申购费赎回费加起来太贵了", "管理费这么高，收益都被吃掉了", "手续费比别家贵多了"),
    "feedback.negative.opaque": ("合同写得云里雾里，根本看不懂", "这产品到底投的什么，说明书一点都不透明"),
    "feedback.negative.complaint": ("我要投诉", "再不解决我就打12378", "我要找监管反映", "我已经向12378投诉过了",
                                    "不给说法我就去网上曝光你们", "这个事我一定要投诉到底"),
    "feedback.question.recommendation": ("有什么好的产品推荐一下吗？", "像我这种情况买什么合适？"),
    "feedback.question.return": ("这个收益大概多少？", "去年的业绩怎么样？年化有多少？"),
    "feedback.question.risk": ("这款保本吗？", "这个产品保本吗？会不会亏本金？", "会不会亏本金？", "这款风险大不大？", "万一亏了怎么办？"),
    "feedback.question.term": ("要放多久？", "这个期限多长？几号到期？"),
    "feedback.question.fees": ("有没有手续费？", "管理费怎么收？"),
    "feedback.question.direction": ("这个钱主要投到哪里？", "底层资产是什么？债券还是股票？"),
    "feedback.question.redemption": ("赎回流程是怎样的？", "怎么赎回？要多久到账？", "赎回是T+几到账？"),
    "feedback.question.flexibility": ("能不能随时取出来？", "中途急用能取吗？", "可以随存随取吗？"),
    "feedback.question.how_to_buy": ("在手机银行上怎么买？", "要去网点办吗？还是网上能买？", "起购金额多少？在哪买？"),
    "feedback.question.event": ("最近有什么活动吗？", "现在买有礼品送吗？"),
    "feedback.question.branch": ("离{district}最近的网点在哪？", "周末网点开门吗？", "{district}那边有你们网点吗？"),
    "emotion.anxiety.shrinking_wealth": ("钱越理越少，真的心累", "买了两年理财，钱越理越少", "本来想赚点，结果越理越少"),
    "emotion.anxiety.sip_stopped": ("定投我已经断了，不想再扣了", "{index}那个定投我停了三个月了，亏得不敢投", "工资降了，定投断供了"),
    "emotion.anxiety.rollercoaster": ("这基金跟坐过山车一样，一会涨一会跌", "波动太大了，心脏受不了", "净值上蹿下跳的，天天睡不着"),
    "emotion.anxiety.afraid_redeem": ("现在亏着不敢赎回", "想卖又怕一卖就涨，不敢动", "一赎回就是实亏，我不敢"),
    "emotion.anger.strong": ("你们简直是在骗钱！！！", "太过分了！！必须给我个说法！！", "什么破银行，气死我了！！！",
                             "骗子！！全是骗子！！！"),
    "need.hidden.liquidity_anxiety": ("钱能不能马上取出来？我急用", "家里有急事，这笔钱今天能到账吗",
                                      "赎回要几天？能不能快点，我等着用钱", "我现在就要用钱，能不能马上取出"),
    "need.hidden.asset_isolation": ("我想做个资产隔离，婚前的钱跟婚后分开", "听说家族信托能防止财产被分走，怎么弄",
                                    "这笔是婚前财产，想单独放"),
    "need.hidden.health_gap": ("我去年体检查出{condition}，还能买重疾险吗", "体检报告有几项异常，想配个重疾险",
                               "我爸体检{condition}，他这个年纪重疾险还能买吗"),
    "need.hidden.risk_misperception": ("我一直以为理财都是保本的，怎么会亏", "买的时候没人说会亏啊，我以为跟存款一样",
                                       "不是说稳健型吗？怎么净值跌了"),
    "need.hidden.value_doubt": ("费用扣完收益还剩多少？感觉不划算", "交这么多费，到手的收益对不上"),
    "need.hidden.safety_seeking": ("我就要确定不亏的", "给我找个心里有底的，亏了我睡不着"),
}

# The gold conventions: these tags always travel with a companion.
COMPANIONS = {
    "feedback.negative.fee_high": "need.hidden.value_doubt",
    "feedback.negative.opaque": "need.hidden.risk_misperception",
    "preference.risk.guaranteed": "need.hidden.safety_seeking",
    "profile.investment.loss_elsewhere": "profile.platform.other_bank",
    "profile.investment.maturing_elsewhere": "profile.platform.other_bank",
}

# Agent lines by purpose; only "caution" and "promise" carry a tag (the two agent-side leaves).
AGENT: dict[str, tuple[str, ...]] = {
    "open_out": ("喂您好，请问是{name}吗？我是{our_bank}的理财经理，想耽误您两分钟",
                 "{name}您好，我是{our_bank}财富中心的，看到您账户有笔资金，给您介绍一下新产品",
                 "您好{name}，这边是{our_bank}客户经理，最近有款{product}额度不多，想跟您说一下"),
    "open_in": ("您好，{our_bank}客服中心，工号{agent_no}，请问有什么可以帮您？", "您好，很高兴为您服务，请问您要办理什么业务？"),
    "open_review": ("{name}您好，我是您的专属客户经理，想跟您一起看看最近的持仓", "{name}，最近市场波动比较大，我给您回访一下账户情况"),
    "open_im": ("您好，在线客服为您服务，请问有什么可以帮您？", "亲，您好，请问遇到什么问题了？"),
    "answer.recommendation": ("您这种情况可以看看{wm_name}，期限{t6m}，波动比较小", "可以考虑{product}，我把产品说明发您"),
    "answer.return": ("这款业绩比较基准年化{rate}，只是参考不是承诺", "去年实际年化大概{rate}，过往业绩不代表未来"),
    "answer.risk": ("这款是R2中低风险，主要投债券和存单",),
    "answer.term": ("期限{t3m}，到期自动回到您卡上", "这款是{t6m}的，每个开放日可以申赎"),
    "answer.fees": ("申购费打一折，持有满一年免赎回费", "管理费每年0.3%，已经在净值里扣了"),
    "answer.direction": ("主要投国债、政策性金融债和同业存单", "八成以上投债券，少部分投股票"),
    "answer.redemption": ("赎回一般T+1到账，节假日顺延", "在手机银行持仓里点赎回就行，第二个工作日到账"),
    "answer.flexibility": ("这款每天都可以申赎，当天申请第二天到账", "这款是封闭期的，到期前不能取，您要用钱的话可以看活期类的"),
    "answer.how_to_buy": ("手机银行首页点“理财”就能买，一万起购", "网上银行和网点柜台都能买，起购一万"),
    "answer.event": ("这个月新客首购有加息券，另外购买满五万送积分", "最近有个理财节活动，详情在APP首页"),
    "answer.branch": ("离您最近的是{district}支行，周末上午也营业", "您可以在APP里搜“网点”，能看到排队人数"),
    "not_promise": ("这款不是保本的，净值会有波动，您要有心理准备", "它不承诺保本，业绩比较基准只是参考",
                    "理财都是净值型了，不存在保本一说"),
    "disclosure": ("理财非存款，产品有风险，投资需谨慎", "投资需谨慎，过往业绩不代表未来表现", "我们也会按规定给您做风险测评，投资需谨慎"),
    "caution": ("这款风险较大，不建议您买太多", "以您的风险承受能力，我不建议配置股票型基金", "现在市场波动大，建议您谨慎一些",
                "这个产品风险较大，您再谨慎考虑一下", "不建议您现在追高，谨慎一点好"),
    "promise": ("您放心，这款是保本的，稳赚不赔", "这款零风险，收益是有保证的", "保证收益{rate}，到期一分不少",
                "跟存款一样保本，您就放心买"),
    "jargon": ("这只夏普比率1.3，最大回撤控制在8%以内", "债基主要看久期，这只久期两年左右，利率风险不大",
               "从风险收益比看，它的夏普比率在同类排前20%", "它的最大回撤只有5%，波动率也低"),
    "pitch": ("现在有款{product}，{t6m}的，业绩比较基准{rate}", "您这种情况可以考虑{wm_name}，起购一万", "可以拿一部分配置{product}，稳一点"),
    "backoff": ("好的理解，那不打扰您了", "没关系，您有需要随时联系我", "好的，那我过段时间再跟您联系"),
    "apology_tech": ("实在抱歉，我这边帮您反馈给技术部门，工单号{ticket_no}", "给您添麻烦了，您先试试卸载重装，问题我已经报给技术部门"),
    "apology": ("非常抱歉给您带来不好的体验，我马上给您登记，工单号{ticket_no}", "实在抱歉，您反映的情况我记下来了，会有专人回电",
                "您别着急，这个问题我一定给您跟进到底"),
    "comfort": ("理解您的心情，市场短期波动是正常的", "您先别急，我帮您看下持仓情况", "我们一起看看要不要调整一下配置"),
    "confirm": ("好的，记下了", "没问题，我备注一下", "好的，按您方便的时间来"),
    "thanks": ("谢谢您的认可！", "感谢您的支持，我们会继续努力", "谢谢，这是我们应该做的"),
    "ack": ("嗯嗯，您说", "好的，明白", "是的", "我理解"),
    "verify": ("跟您核对一下，您预留的手机尾号{tail}对吗？", "为了核实身份，您卡号尾号是{tail}吗？", "您登记的手机是{masked}，对吧？"),
    "close": ("好的，那今天就先这样，祝您生活愉快", "感谢您的来电，再见", "有问题随时联系我们，再见"),
}

# Which agent purpose answers a customer's topic: by exact code first, then by taxonomy dimension.
REPLY_BY_CODE = {f"feedback.question.{q}": f"answer.{q}" for q in (
    "recommendation", "return", "risk", "term", "fees", "direction", "redemption", "flexibility", "how_to_buy",
    "event", "branch")} | {"feedback.negative.system_bad": "apology_tech"}
REPLY_BY_DIMENSION = { "objection.refusal": "backoff", "objection.risk": "backoff",
    "feedback.negative": "apology", "emotion.anger": "apology", "emotion.anxiety": "comfort",
    "need.hidden": "comfort", "profile.funds": "pitch", "profile.contact_time": "confirm",
    "preference.contact_method": "confirm", "feedback.positive": "thanks",
}

RM_NOTES = {
    "follow_up": ("已电话回访客户，客户有闲置资金，推荐{wm_name}及{product}，客户表示考虑", "回访：客户近期有资金到账，已约{when}面谈配置方案",
                  "跟进商机：与客户沟通资产配置，介绍{product}，客户有兴趣，待确认金额"),
    "routine": ("客户生日关怀短信已发送", "提醒客户{product}{when}到期", "客户来网点办理业务，顺便做了风险测评更新",
                "季度持仓回顾已完成，客户暂无调整意向", "已邀请客户参加{when}的投资策略会"),
}

TICKET_TITLES = {
    "product": ("理财产品净值下跌", "产品收益与宣传不符", "基金亏损咨询", "理财到期资金未到账"),
    "service": ("客服服务态度差", "网点排队时间过长", "客户经理服务问题", "业务办理效率低"),
    "system": ("手机银行APP闪退", "APP无法登录", "交易页面卡顿", "验证码收不到"),
    "fee": ("赎回费用过高", "管理费收取有异议", "手续费扣费不明"),
    "marketing_call": ("营销电话骚扰", "频繁推销来电", "个人信息疑似泄露"),
}
TICKET_CODES = {
    "product": ("feedback.negative.product_return_low", "need.hidden.risk_misperception", "feedback.negative.opaque",
                "emotion.anxiety.shrinking_wealth", "need.hidden.liquidity_anxiety", "feedback.question.redemption",
                "feedback.negative.product_limited"),
    "service": ("feedback.negative.service_attitude_bad", "feedback.negative.service_unprofessional",
                "feedback.negative.branch_bad", "feedback.positive.praise"),
    "system": ("feedback.negative.system_bad",),
    "fee": ("feedback.negative.fee_high", "need.hidden.value_doubt"),
    "marketing_call": ("objection.risk.dislikes_calls", "objection.risk.privacy_leak", "objection.refusal.not_needed"),
}
TICKET_LEADS = ("本人于{date}在贵行办理业务，", "我是贵行老客户，", "{date}通过手机银行操作时发现，", "客户来电反映：", "")

SURVEY_EXTRA = {
    "positive": ("挺好的", "很满意", "整体不错", "办得很快", "10分"),
    "neutral": ("还行吧", "一般般", "没什么特别的", "中规中矩", "还可以，希望继续改进"),
    "negative": ("很不满意", "体验太差", "失望", "不会再推荐", "差评"),
}
EMOJI = {"positive": ("👍", "😊", "🙏", "👏", "💯"), "neutral": ("🤔", "😐", "🙂"), "negative": ("😡", "😤", "😅", "🙄", "💔")}

# A small simplified -> traditional map: enough for the few per cent of texts typed on a HK/TW keyboard.
TRADITIONAL = str.maketrans(
    "这个们钱还说银赎么为会险时间买卖对过没发现里边号话问题让给经财产费务态专业亏赚资风动点开关电网应该收处来后样吗听"
    "办转账单从气实爱长乐难简单两总结门见东车书种况够场价张",
    "這個們錢還說銀贖麼為會險時間買賣對過沒發現裡邊號話問題讓給經財產費務態專業虧賺資風動點開關電網應該收處來後樣嗎聽"
    "辦轉賬單從氣實愛長樂難簡單兩總結門見東車書種況夠場價張",
)
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")

_ALT = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")


def render(template: str, rng: random.Random, ctx: dict[str, str] | None = None) -> str:
    # Most templates have no alternatives or no slots: a substring test is far cheaper than a regex pass.
    text = _ALT.sub(lambda m: rng.choice(m.group(1).split("|")), template) if "[" in template else template
    if "{" not in text:
        return text

    def fill(m: re.Match) -> str:
        key = m.group(1)
        if ctx and key in ctx:
            return ctx[key]
        return rng.choice(SLOTS[key])

    return _SLOT.sub(fill, text)


def dimension(code: str) -> str:
    return code.rsplit(".", 1)[0]
