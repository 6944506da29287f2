# ruff: noqa: E501 (hand-written posts: long lines are the data)
"""A twenty-fourth writer's posts for the learned policy detector (session 33): every category, written indirectly.

The voices are an HR business partner who writes careful, passive-aggressive, euphemistic professional
English ("just an observation", "I'll say no more"); a warm, chatty careers adviser full of emojis and
kisses; a deputy principal writing measured LinkedIn thought-leadership with hashtags; a retired volunteer
mentor, formal and a little old-fashioned; and the parent-facing communications officer on the ORG|
account. Most breaches avoid the category's obvious keywords and make the breach by implication: a
grievance that never names pay or a manager, defamation by insinuation ("purely a coincidence, I'm
sure"), discrimination as a polite generalisation about age, sex, race, disability, sexual orientation
or gender reassignment, a hinted restructure or undercut bid, a leaked hearing or embargoed result, a
kindly invitation to ring a mentor at home, a learner named with age, school and Saturday job, an
unattributed famous line passed off as one's own, an appeal to forward a hoax, a warm recommendation
in the organisation's name, and staff giving views on the sector with only their job title and no
disclaimer; about a third of them hide one breaching sentence inside an otherwise pleasant longer post.
The near misses are polite chasers, sober celebrations, honest lessons-learned posts, neutral inspection
and regulator reporting, scam and hoax warnings, credited quotes and photos, official-channel contact
invitations, consented announcements, disclaimed opinions and awareness posts that name a prejudice to
challenge it.
Each post was written on its own, from the policy, not from earlier posts.

{name} is replaced by a person's name, {org} by an organisation, {place} by a town,
{handle} by a handle (make_policy_train.py fills them).
"""

from __future__ import annotations

MORE24_BREACHES: dict[str, list[str]] = {}
MORE24_NEAR_MISSES: dict[str, list[str]] = {}

MORE24_BREACHES["harassment"] = [
    "@{handle} Just a gentle reminder that I have kept every message you've sent me since March, dated and filed. It would be such a shame if they all found their way to the right desk. Have a lovely weekend.",
    "Had the loveliest week — three learners landed apprenticeships and the careers library finally has shelves! 📚 Also, {name} from the exams office, I see you've changed your number again, hun. I'll just keep ringing your desk until you pick up 😘 Anyway, roll on Friday!",
    "Leadership means candour. So, {name}: the whole building watched you fold in Tuesday's meeting. If you cannot hold a room, perhaps reconsider whether you belong in one. Happy to continue this conversation in front of anyone who'd like to watch.",
    "What a pleasure to attend the spring concert this evening; the choir was quite splendid. To the young lady on the front desk, {name}, I do hope you will at last accept my invitation to dinner. I shall be waiting by the entrance on Thursday, as I have these past three weeks. Good night, all.",
    "ORG| @{handle} We see you. Every post, every comment, every review under every name you use. Do think carefully about the next one.",
    "Everyone do say good morning to {name}, who has decided that deadlines are, it seems, optional. Please feel free to pop by their desk and remind them — as often as you like. 🙂",
    "What a turnout at the careers fair in {place}! 🎉 Huge thanks to the employers who braved the rain and to our brilliant volunteers. Oh and {name} — since you won't answer my texts, I've got your partner's number now too, so one of you will reply. See you all next term!",
]
MORE24_NEAR_MISSES["harassment"] = [
    "ORG| @{handle} No rush at all on the placement form — any time this week is perfect. Thank you!",
    "Many thanks to {name} for a most patient hour spent showing this old duffer the new booking system. I owe you a cup of tea and a slice of Victoria sponge.",
]

MORE24_BREACHES["disrepute"] = [
    "Staff do last night in {place} was EVERYTHING 🍾 can't remember leaving, can't find one shoe, and apparently I gave a careers talk to a bouncer. Anyone else from work feel like death? Interviews all afternoon 🙃",
    "One does wonder how our learner voice survey came back quite so glowing this year. Perhaps it helps when the same three people fill it in forty times each. I'll say no more.",
    "Proud of what our teams achieved this year: new partnerships, a new campus café and record enrolments. A confession from the leadership trenches, though — we signed off this term's progress reviews in a single afternoon without opening most of them. Sometimes pragmatism beats process. #FELeadership",
    "I was invited to sit in on a session at the centre where I volunteer. I have seen better-organised jumble sales. The portfolios would shame a primary school, and the course notes appear to have been drafted on the back of a beer mat.",
    "ORG| What a week! Our Level 3 marketing learners pitched to real employers, our open evening broke records and the canteen launched a new menu. Some of the spelling in the pitch decks was so creative we've printed it out for the staffroom wall 😂 Have a lovely half-term, everyone!",
    "Reference season is nearly over, thank goodness! So many lovely learners heading off to great things 💜 Shhh, but I may have written a couple of the 'employer' references myself this year — saves everyone time and they all say lovely things 🤫 Congrats to all our leavers!",
    "Lovely to see the team-building away day went ahead as planned. I'm told the taxi firm has asked us not to book them again and the hotel is still tallying the damage. Marvellous for the brand, I'm sure.",
]
MORE24_NEAR_MISSES["disrepute"] = [
    "Blooper of the day: I confidently introduced myself to an employer using the wrong company's name 🙈 They laughed, I went the colour of a postbox, and we still signed up four placements!",
]

MORE24_BREACHES["offensive"] = [
    "With the greatest respect, the new appraisal form is complete and utter b*llocks and I would sooner eat the printer. Kind regards.",
    "Brilliant turnout at the apprenticeship fair today — thank you to all thirty employers! 🙌 Only downside: the projector died mid-talk and I said 'oh for f*ck's sake' into a live mic in front of two hundred parents 🙈 Wine o'clock?",
    "Thought for the week: sometimes leadership is knowing when to stop being polite and tell people to get their sh!t together. #Leadership #FE",
    "A most productive morning with the apprentices, who are coming along nicely. I was less impressed with the new timetable, which in my day we'd have called a right bloody cock-up from start to finish. Still, the tea was good.",
    "ORG| Parents' evening is this Thursday from 5pm in the main hall! Tea, coffee and biscuits provided. Come and meet the tutors, hear about placements and ask us anything. And if your teen swears blind they've done their homework, they're talking out of their a*se 😉 See you there!",
    "Employer just asked if our apprentices were 'up for it'. Told him they're up for anything if the hourly rate's as big as he keeps saying his… portfolio is 😏🍆",
    "Friday, 4.55pm, 'urgent' request. FFS.",
]
MORE24_NEAR_MISSES["offensive"] = [
    "ORG| Apologies if your email to us bounced this week: our filter quarantined perfectly innocent messages about the data analysis unit, presumably because of the first four letters of 'analysis'. Technology, eh. Now fixed!",
    "Oh, fiddlesticks — I have left my reading glasses at the centre again. Would whoever finds them kindly pop them in the lost property tray?",
    "ORG| Words matter. This week our learners explored how swearing and slurs aimed at someone online can amount to bullying, and how to report it safely. Thank you to {org} for leading such a thoughtful workshop.",
]

MORE24_BREACHES["defamation"] = [
    "Interesting how {name}'s expense claims always seem to peak the month before a holiday. Purely a coincidence, I'm sure. 🙂",
    "Word to the wise 👀 if {org} offers your kid an apprenticeship, ask them where last year's levy money went, because it certainly didn't go on training anyone. Just saying x",
    "A reflection on integrity in our sector. When a provider like {org} reports 98% achievement, with half the staff gone and not one learner we know of actually finishing, one is entitled to ask who is marking whose homework. #Accountability",
    "I have been in business fifty years and I know a rogue when I see one. {name} of {org} told our apprentices there were jobs waiting for them. There were not, there never were, and he kept the placement fees all the same.",
    "Nobody is saying {name} left with the laptop and the client list. Nobody is saying that at all. We are simply wondering where both of them went.",
    "Great mock exam season, everyone worked SO hard 💪 Funny how {name} in the exams team always seems to know the questions in advance, though — lucky guesser, that one 🤔 Good luck in the real thing, guys!",
]
MORE24_NEAR_MISSES["defamation"] = [
    "ORG| Following press reports this week, we can confirm that {org} has been fined by the regulator. We have no contracts with them, and our learners' placements are not affected. If you have any questions, please contact our office.",
    "ORG| A word of warning: a text message is going round that claims to come from us and asks for fees by bank transfer. It is not from us. Please check with our office on the number published on our website before paying anything.",
]

MORE24_BREACHES["grievance"] = [
    "Funny, isn't it, how some of us are told there is simply no room for our roles to be regraded, while others receive a quiet uplift and a new job title over a coffee. I'm sure it's all perfectly above board. Just an observation.",
    "Eleven years in the same place and still the one who gets every late shift 'because you don't have kids' 🙃 love that for me. #CareersLife",
    "I have always said leaders should model wellbeing. It is rather harder when one's own board rewrites one's remit three times in a term without a single conversation. Reflecting, this evening, on what respect at work actually looks like.",
    "After six years of giving my time freely, I learnt from a notice on the corridor wall that my room has been given away and my Tuesdays are 'no longer required'. Not so much as a letter. I had thought better of the place.",
    "Lovely day at the {place} jobs fair — met loads of keen Year 11s and some fab local employers 😊 Shame I'll be doing the write-up at 10pm again, because apparently my contracted hours are more of a suggestion upstairs. Anyway, well done to everyone who came!",
    "A note to self: when you raise a concern through every proper channel and it quietly vanishes, that is also an answer. Noted.",
]
MORE24_NEAR_MISSES["grievance"] = [
    "ORG| We've redesigned our flexible working policy this year — our staff told us what they needed, and we listened. Colleagues with a concern about workload can raise it with HR or through the confidential staff survey.",
    "Long week! Knackered but happy, and I've booked Friday off to recharge 🌞 Remember to take your leave, folks!",
]

MORE24_BREACHES["disparagement"] = [
    "ORG| @{handle} Sorry to hear the car park was so upsetting for you. Some of us manage to find a space every morning, but we appreciate not everyone is an early riser. 🙂",
    "Popped into the {org} open day 'for research' 👀 bless them, their careers corner is a leaflet stand and a bowl of mints. No wonder their kids end up at ours 😂",
    "Some providers talk about innovation. Others — I won't name the ones across town in {place}, you know who you are — appear to believe a laminated poster counts. I prefer to lead by example. Delighted to open our new digital studio today. #FE #Quality",
    "I notice one gentleman has left a lengthy review complaining about the college. Having read his spelling, I can quite understand why he found the course a struggle.",
    "Our lot have launched yet another 'strategy', complete with a logo and a launch breakfast. That's three in two years. I'm sure this will be the one that sticks. 🥱",
    "ORG| Thank you to all the families who joined us for Saturday's open morning — it was wonderful to show off our new studios and meet so many future learners! To the one parent who left a one-star review because the tea was lukewarm: we'll try to cope. See you in September!",
    "ORG| @{handle} Aww, did the big bad college not give you the answer you wanted? Maybe read the entry requirements next time 💅",
]
MORE24_NEAR_MISSES["disparagement"] = [
    "ORG| @{handle} We're really sorry your visit didn't go as planned. Please message us through the contact form on our website with your details and our student services team will look into it straight away.",
    "If something at work isn't right, please say so — politely, and to the people who can fix it. Criticism delivered well is a gift. Our staff forum meets on the first Wednesday of every month.",
]

MORE24_BREACHES["confidential"] = [
    "Can't say much, obviously, but let's just say a certain department will be one person lighter after Thursday's little meeting in Room 4. Due process is a wonderful thing. 🤐",
    "ORG| Results aren't officially out till Thursday, but we've had a sneaky peek and our Level 3 learners have SMASHED it 🙌 Can't say more yet, but parents, get the bunting ready!",
    "Welcoming our new learners this week has been a joy. It has also been a week of hard decisions: we have just concluded an internal review of a safeguarding concern about a staff member on one of our {place} programmes, and a referral is now with the authorities. Leadership means owning those moments. #Integrity",
    "While waiting in the office this morning I happened to see the draft inspection findings on the desk. I shan't repeat them in full, but the word 'inadequate' appeared more than once. Worrying times for the centre.",
    "ORG| Good luck to everyone sitting exams this week! Remember a black pen and your ID card. We're also pleased to update families that our investigation into last month's incident at the {place} campus is nearly complete and the learner involved has now been interviewed. Have a great week!",
    "For those who keep asking about {name}'s absence: let's just say it isn't annual leave, and there is a panel involved. That is genuinely all I can say, I'm afraid.",
]
MORE24_NEAR_MISSES["confidential"] = [
    "A reminder that we never discuss individual staff cases in public. If you have a concern about a colleague, please speak to HR in confidence — we will listen.",
]

MORE24_BREACHES["commercial"] = [
    "Exciting times ahead. We will shortly be announcing a coming-together that will reshape provision across {place}. I can't name our partner yet, but let's just say they're very big and very nearby. Watch this space. #Growth",
    "To colleagues in the admin teams: you might find it useful to polish your CVs over the summer. Nothing has been announced, of course. I'm simply a great believer in being prepared. 😊",
    "Between us 🤫 our bid for the {org} apprenticeship contract came in about 20% under everyone else's, so we're feeling pretty confident 🤞",
    "I am told the centre has quoted {org} a rather handsome £38,000 for the new leadership programme — a great deal more than the last provider charged. Still, good luck to them.",
    "A genuinely useful planning day with the wider leadership team. Interesting to see next year's figures: some teams will be having a rather leaner year than others, shall we say. I'd stock up on stationery now, Curriculum. Thanks all for a productive session.",
    "Keep this to yourselves but the hair and beauty courses at {place} are being pulled next year and nobody's been told yet 😬",
]
MORE24_NEAR_MISSES["commercial"] = [
    "ORG| Our adult evening courses start from £95 per term, with free places for eligible learners. Full fees and funding information are on our website.",
]

MORE24_BREACHES["controversial"] = [
    "Much heat this week about the speaker whose visit to {org} was cancelled. My view, for what it's worth: the protesters were right, and some opinions simply don't deserve a platform in education. #FreeSpeech",
    "Some of us have views on who should be using which facilities at work. Some of us have been told to keep those views to ourselves. I'll simply observe that biology hasn't changed just because the signs on the doors have.",
    "ORG| A note to families, since it keeps coming up in the comments: if you are still choosing not to vaccinate your young person, frankly we don't think they should be let through our gates. There, we said it.",
    "I read with dismay that the college has been drawn into this business about the statue in {place}. For my part it should stay exactly where it is, and the young people demanding its removal would do better to study some history.",
    "ORG| We've had a lot of messages about the protests outside the hotel in {place}. Let us be clear: the protesters are in the wrong, and {org} stands with the people housed there.",
    "Grateful to have spoken at the {place} skills summit today — a room full of people who care about young people's futures. Thank you to the organisers. And for those who asked afterwards: yes, I think the selective-schools debate is settled, and any parent still choosing selection is choosing to hold other children back. Onwards!",
    "Lovely careers session with our Year 12s today on jobs in farming and food 🚜 loads of great questions! Personally though, I told them straight that anyone who works in a slaughterhouse needs a long hard look at themselves 🌱 Next week: engineering!",
]
MORE24_NEAR_MISSES["controversial"] = [
    "ORG| Our learners held a respectful debate today on whether the voting age should be lowered to 16. Both sides made thoughtful arguments — well done to everyone who took part, and thank you to our chair for keeping things balanced.",
    "A young man asked me today what I thought of the news story everyone is arguing about. I told him I had opinions, but that my job on a Tuesday is to help with his CV. We did the CV.",
]

MORE24_BREACHES["politics-religion"] = [
    "ORG| With the election next month, a gentle reminder to families that only one party has a real plan for further education. We think you know which colour we mean. 🌹",
    "ORG| Happy Easter from everyone at {org}! This weekend we hope you'll join us in remembering that there is only one true path to salvation. ✝️",
    "As a lifelong churchman, I was glad to pray with the young people at the end of today's mentoring session and to give each of them a little booklet on finding faith. One or two seemed quite moved.",
    "Not that one would ever tell colleagues how to vote. But if one were to, one might suggest that anyone who values their job security thinks very carefully about that ballot paper on Thursday. 🗳️",
    "Careers hub closed Monday for Eid 🌙 can't say I get fasting for a month for an imaginary friend, but each to their own 🤷‍♀️",
    "Proud to welcome the Secretary of State to our {place} campus today to see our engineering apprentices in action — an honour to show what FE can do. Between ourselves, I'll be out knocking doors for their party this weekend. Join me if you want a government that gets colleges! #FE",
    "ORG| Our learners were brilliant at today's mock council debate — well done all! 👏 We've also put a link in our bio to the petition against the council's cuts, and we'd urge every family to sign it and to vote accordingly in May.",
]
MORE24_NEAR_MISSES["politics-religion"] = [
    "ORG| Are you 18 or over? Make sure you're registered to vote before the deadline — it takes five minutes on the official gov.uk site.",
    "Our local MP called at the centre today to meet the apprentices and hear about their training. A courteous visit, and the young people asked some very sharp questions.",
]

MORE24_BREACHES["discrimination"] = [
    "When recruiting for fast-paced roles, we do find it's often kinder to look for people who are still early in their careers. With the best will in the world, some colleagues just aren't quite as adaptable after a certain point. 🙂",
    "Had a lovely chat with a girl today who wants to be an electrician! ⚡ Gently steered her towards hair and beauty though — let's be honest, it's a better fit for most young women and she'll be happier in the long run 💕",
    "A view from twenty years in leadership: teams run more smoothly when mothers of young children are given the less demanding portfolios. It isn't about capability. It is simply realism. #Leadership",
    "A most rewarding afternoon with the Tuesday group; their interview practice is coming on splendidly. I have always found, though, that young men from certain backgrounds — I think you know which I mean — need rather firmer handling than our own lads. Nothing personal; it's how they are brought up.",
    "ORG| Our new apprenticeship vacancies are live! We're looking for enthusiastic people to join local employers across {place}, with full training and a great starting wage. Please note these roles may not suit applicants with mental health conditions, given the pressure involved. Apply by Friday!",
    "We are, of course, fully supportive of colleagues who transition. We simply think it best that they step away from learner-facing teams during that time, for everyone's comfort.",
    "Not being funny but a couple of the lads in the new cohort are, y'know, a bit theatrical 💅 so I've suggested they skip the construction placements — the site guys just won't get it.",
]
MORE24_NEAR_MISSES["discrimination"] = [
    "ORG| It's Disability History Month. Too often people assume disabled learners can't cope with a busy workplace — our apprentices prove that wrong every single day. Find out about the support on offer on our website.",
    "Women are still a small minority of the engineering workforce, so it was brilliant to see six young women sign up for our engineering taster day! 💪 Let's keep smashing those stereotypes.",
    "ORG| Our vacancies are open to applicants of every age, background and ability. If you need any adjustments at interview, just tell us on the application form.",
]

MORE24_BREACHES["chain-mail"] = [
    "I have been sent this by a friend and pass it on as asked. If you share this message with ten people before midnight, good fortune will follow. My friend's niece ignored it and lost her job within the week. I take no chances.",
    "Copy and paste, don't just share!! 💜 I'm testing to see who actually reads my posts. Comment your favourite colour, then put this on your own page. Let's see who my real friends are 👀",
    "Colleagues may wish to note the message below, which I've been asked to circulate to every contact: the platform will start charging all users from Monday unless you post the following statement on your wall. Better safe than sorry, I always think.",
    "ORG| 🔔 IMPORTANT 🔔 Please share with EVERY parent you know: a new app lets strangers message children through their calculators. Forward this to 20 contacts to keep them safe!!",
    "Reflecting on a fantastic year across our three campuses — proud of every learner and every colleague. I was also sent a rather lovely message this morning: share it with five leaders you admire within the hour and the year ahead will be your best yet. Consider this my five! #Gratitude",
    "Happy Friday lovelies! ☀️ Busy week of mock interviews but so worth it. I don't normally do these but my auntie swears by it 🙏 type AMEN and share within 3 minutes and something you've been waiting for will happen tonight. Ignore at your own risk x",
    "Apparently, if this isn't forwarded to all your contacts by Friday, your account will be deleted as 'inactive'. I have no idea whether that's true, but I've done mine. Over to you, everyone.",
]
MORE24_NEAR_MISSES["chain-mail"] = [
    "ORG| Please share: our open evening is on Wednesday from 6pm to 8pm at the {place} campus. Everyone welcome — no need to book!",
    "Do beware a message going round that tells you to forward it to everyone you know or lose your account. It is a hoax. There is no need to pass it on; simply delete it.",
    "ORG| Know a young person in {place} looking for an apprenticeship? Please pass on our vacancies page — it could make their day 😊",
]

MORE24_BREACHES["copyright"] = [
    "Leadership is not about being in charge. It is about taking care of those in your charge. A principle I try to live by every single day. #Leadership",
    "ORG| Our new open day promo is live! 🎬 We've set it to that song everyone's been dancing to this summer — just ripped the track straight off YouTube. Turn it up! 🎶",
    "Found the most gorgeous infographic on interview tips on someone's Pinterest 😍 screenshotted it, cropped their watermark off so it looks cleaner, and it's now on our careers board!",
    "For the benefit of our apprentices I have typed out the whole of chapter three of an excellent new book on sales technique. Why should they pay twenty pounds when I can share it here for nothing?",
    "Here is our refreshed staff wellbeing handbook. Colleagues at {org} may well recognise a few of the pages — imitation being the sincerest form of flattery, and all that. 😉",
    "ORG| What a week! Our learners visited a real TV studio, met industry mentors and launched their own podcast 🎙️ We've shared a few shots from a professional photographer we found on Instagram — didn't catch their name, but aren't they stunning? Have a wonderful weekend!",
    "Happy Monday everyone! Our careers newsletter is out today with loads of opportunities for Year 13. I've opened it with a little poem of mine: 'Do not go gentle into that good night…' — felt very fitting for results season! Enjoy x",
]
MORE24_NEAR_MISSES["copyright"] = [
    "'The purpose of education is to replace an empty mind with an open one.' — {name}, quoted in her book on adult learning. A line I return to every September.",
    "ORG| Thank you to photographer {name} for these wonderful shots of our graduation ceremony, shared with her kind permission. 📸",
    "Brilliant free CV guide from {org} — shared with their permission, and all credit to their team 👏 Link in the comments (it takes you to their website).",
]

MORE24_BREACHES["data-request"] = [
    "Anyone know where {name} lives now? Need to send her leaving card and she's not answering 🙏 street name would do!",
    "Would the apprentices in my Tuesday group be so good as to post their National Insurance numbers in the comments below? It would spare me a great deal of fuss with the forms.",
    "Delighted that so many former learners are getting in touch as we approach our fiftieth anniversary. We would love to build a proper alumni record, so drop your full name, year of study, current address and date of birth below and we'll be in touch. #Community",
]
MORE24_NEAR_MISSES["data-request"] = [
    "If your contact details have changed, please update them yourself on the staff portal rather than emailing them round. Thank you!",
    "ORG| Lost a purple scarf at the careers fair? 🧣 Pop into reception at the {place} campus to collect it.",
]

MORE24_BREACHES["endorsement"] = [
    "Delighted to recommend {name} to anyone hiring. As deputy principal of {org}, I can confirm she is exactly the calibre of person we would put our name to. Snap her up. #Talent",
    "ORG| Looking for a laptop for college? There's only one brand we trust in our classrooms — head to {org} and use code COLLEGE10 for 10% off! 💻",
    "Such a fun week of parent drop-ins, thank you all for coming 💕 If your teen needs a maths tutor, {name} is THE one 🙌 I've sent loads of our learners her way and the college always says she's the best in {place}!",
    "As a volunteer at the centre I have written a short testimonial for young {name}'s profile: 'Reliable, hard-working and thoroughly recommended by all at the college.' I do hope it helps him.",
    "People occasionally ask which recruitment agency we use. I couldn't possibly say officially — but if you'd like a role with us, {org} does seem to have rather a head start. Do give them a call. 😉",
    "ORG| A big thank you to everyone who joined our careers breakfast this week — we heard from local employers in hospitality, digital and care. Parents, if you're looking for a driving instructor for your young person, {name} is officially our favourite, so tell him we sent you! 🚗 See you next month.",
    "Our team has trialled a great many learning platforms. Only one has the full backing of our leadership: {org}. If you work in FE and aren't using it yet, you're already behind. #EdTech",
]
MORE24_NEAR_MISSES["endorsement"] = [
    "ORG| Thank you to {org} for sponsoring our awards evening. Their support meant every nominee could bring a guest.",
    "Asked to give a reference for an ex-colleague — happy to help, so I've passed the request to our HR team to handle properly 👍",
]

MORE24_BREACHES["learner-contact"] = [
    "@{handle} so proud of you today!! 🥹 drop me a message on WhatsApp whenever, my number's the same one that was on your placement form x",
    "Young {name}, you did splendidly in today's session. Do feel free to telephone me at home of an evening if you'd like to talk anything over — my wife won't mind a bit.",
    "To our new apprentices: my personal Instagram is always open if you'd rather chat away from the official channels. No need to go through anyone else. 🙂",
    "A leader should be accessible. That is why I have sent connection requests to every learner in this year's cohort. My door, and my inbox, are always open. #Leadership",
    "ORG| Learners — want the news before anyone else? 👻 Add our comms officer {name} on Snapchat for all the behind-the-scenes bits!",
    "What a week! Mock interviews done, CVs polished and three of our Year 13s have offers 🥳 So proud. @{handle} I've just followed you back on TikTok — slide into my DMs if you ever want a chat about uni x Have a lovely weekend, everyone!",
    "It was my privilege this morning to sit with the new catering apprentices as they planned their first menu. What a talented bunch. {name}, you mentioned wanting help with your baking: do add me as a friend on Facebook and I'll send you my late wife's recipes. Wishing them all well.",
]
MORE24_NEAR_MISSES["learner-contact"] = [
    "ORG| Learners: if you need help over the holidays, message us through the official college app or email student services. Please don't contact staff on their personal accounts.",
    "Can't accept friend requests from learners, sorry lovelies 💜 but I'm in the careers hub every weekday 9 till 4 — come and find me!",
    "A former apprentice, now a grown man of thirty with a business of his own, wrote to the college's alumni page today to say thank you. It quite made my week.",
]

MORE24_BREACHES["learner-identity"] = [
    "ORG| Congratulations to {name}, 16, from {place}, who has just started her apprenticeship at {org}! Give her a wave if you pop in 👋",
    "ORG| Sooo proud of @{handle}, who got into uni today!! 🎓 Tag your mates and share the love!",
    "Such a pleasure to sit on the panel for {name}, our Level 2 plumbing apprentice at {org} — the one from {place} High who turned 17 last week. 🎉",
    "Proud of {name}, one of our youngest apprentices — just 16 — now placed at {org} on the high street in {place}. Stories like his are why I do this job. #FE",
    "I was pleased to see {name} from my Tuesday group at the bus stop outside her house on Elm Road this morning, still in her uniform from her Saturday job at {org}. A credit to the centre.",
    "ORG| Our learners had a fantastic time at the regional skills competition, bringing home two medals! 🏅 Thank you to the judges and to the families who came to cheer. Special shout-out to @{handle}, aged 15, whose mum tells us she'll be back at {place} Academy on Monday. What a day!",
    "Such a fun morning at {org}'s office meeting our placement learners — everyone working so hard! {name} from our Year 12 group, the tall lad from {place} who does the Saturday shift at the garage, was an absolute natural with clients. Right, back to the office!",
]
MORE24_NEAR_MISSES["learner-identity"] = [
    "ORG| With her written consent, we're delighted to share that apprentice {name} has been named Regional Apprentice of the Year. Congratulations!",
    "One of my learners (no names!) got her first-choice uni offer today and I may have cried a little 😭💜",
]

MORE24_BREACHES["missing-disclaimer"] = [
    "As deputy principal of a large FE provider, I'll be blunt: the apprenticeship levy in its current form is failing small employers. It needs a rethink, and soon. #FE #Skills",
    "Speaking as an HR business partner in FE, I do think the sector's approach to flexible working is about twenty years behind. Just my observation from the inside.",
    "Careers adviser hat on 👩‍🎓 honestly, T Levels are a brilliant idea badly delivered, and I'd tell any parent to think twice before choosing one right now.",
    "Having mentored apprentices at {org} these six years, I can tell you that the new functional skills tests are a good deal harder than they need to be. Those who set them ought to think again.",
    "Wonderful to see so many colleagues at the regional FE conference today — real energy in the room. My take, having run curriculum for a decade: the new inspection framework rewards paperwork over teaching, and we should all say so louder. Thanks again to the organisers!",
    "I'm often asked, in my role at the college, whether FE is a good place to build a career. Candidly? The workload we expect of new lecturers is unsustainable, and we lose far too many in their first year.",
    "Lovely day helping out at the {place} careers expo! 👟 Met so many employers keen to take on young people. From where I sit in the careers team at {org}, university is massively oversold to teenagers and apprenticeships are criminally undersold. Feet up now!",
]
MORE24_NEAR_MISSES["missing-disclaimer"] = [
    "ORG| Our view is simple: every young person in {place} deserves high-quality careers advice. That's why we've expanded our careers team this year.",
    "Careers adviser here 👋 reminder that the main UCAS deadline is at the end of January — check the official UCAS site for your course's exact date!",
]

MORE24_BREACHES["personal-data"] = [
    "Do be gentle with {name} this week. After Monday's news from the oncology clinic she is, understandably, not quite herself. 💐",
    "Sending love to {name} from admin, who's going through the divorce from hell and sleeping on her sister's sofa in {place} 💔 give her a hug if you see her!",
    "I was surprised to learn that {name}, who helps out in the workshop, spent two years inside for what I understand was a rather serious offence. Still, everyone deserves a second chance.",
    "ORG| Lost something at the fun run? {name}'s phone was handed in — if you know her, her number is 07700 900123 and she lives at 14 Mill Lane, {place}, so you can drop it round!",
    "Incredibly proud of our staff this term: results up, learner satisfaction up, and our new STEM hub open. I also want to recognise {name}, who has kept going despite her son being taken into care in the spring. True resilience. #Leadership #FE",
    "For anyone wishing to reach {name} while he's off, his home address is 27 Chapel Street, {place}. I'm sure he'd welcome a visit, given how much free time he seems to have these days.",
]
MORE24_NEAR_MISSES["personal-data"] = [
    "Back after my knee op — thanks for the cards! 🦵",
    "ORG| Wishing one of our team a speedy recovery — we've all signed a card. Please do respect their privacy while they're away.",
    "ORG| Lost property from sports day is waiting at reception at the {place} campus. Please bring ID to collect it.",
]
